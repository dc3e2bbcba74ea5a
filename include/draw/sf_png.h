/*
 * sf_png.h - a chart drawn on cairo's image surface and encoded as PNG in
 * memory: the mail's inline images. The same drawing calls as the PDF's
 * (sf_chart.h) on a white canvas of w x h units, scale device pixels per
 * unit (2: sharp on high-density screens). The draw layer knows no
 * report: the caller hands it the figures (an sf_bars, an sf_lines, or a
 * function that draws).
 */
#ifndef SF_PNG_H
#define SF_PNG_H

#include "draw/sf_chart.h"

/* Draws into box (the canvas less a margin) with c; arg is the caller's. */
typedef void (*sf_png_draw)(sf_chart *c, sf_box box, const void *arg);

/* A PNG of w x h units (w * scale x h * scale pixels) with title (NULL:
 * none) above what draw draws; *png malloc'd (caller frees), *len its
 * size. false on failure (out of memory, a cairo error). */
bool sf_png_render(int w, int h, double scale, const sf_lang *lang, const char *title, sf_png_draw draw,
                   const void *arg, unsigned char **png, size_t *len);
/* The same for a bar chart and a line chart. */
bool sf_png_bars(int w, int h, double scale, const sf_lang *lang, const char *title, const sf_bars *b,
                 unsigned char **png, size_t *len);
bool sf_png_lines(int w, int h, double scale, const sf_lang *lang, const sf_lines *l, unsigned char **png,
                  size_t *len);

#endif
