/*
 * sf_test.h - the fixtures the unit tests share: a fresh scratch folder
 * made the current directory for each test (removed after it), files
 * written into it, a config loaded from its text, and the ingest fixture
 * (a config, a rejects list spooled in a scratch folder, the dataset).
 * Include after cmocka (its asserts).
 */
#ifndef SF_TEST_H
#define SF_TEST_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/sf_config.h"
#include "input/sf_ingest.h"

#define SF_TEST_FN static __attribute__((unused))

/* The folder the test binary started in (sf_test_init), where each
 * teardown returns to. */
static __attribute__((unused)) char sf_test_start[PATH_MAX];

/* Call first in main: 0, or -1 when the current folder is unknown. */
SF_TEST_FN int sf_test_init(void)
{
    return getcwd(sf_test_start, sizeof sf_test_start) ? 0 : -1;
}

/* Write text to path (the whole file). */
SF_TEST_FN void sf_test_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* Remove dir and all it holds: 0 or -1. */
SF_TEST_FN int sf_test_rmtree(const char *dir)
{
    char cmd[128];
    if (snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir) >= (int)sizeof cmd)
        return -1;
    return system(cmd) == 0 ? 0 : -1;
}

/* cmocka setup: a fresh folder from tmpl ("/tmp/NAME_XXXXXX", under 64
 * bytes) made current; *state its path. 0, or -1 on failure. */
SF_TEST_FN int sf_test_scratch(void **state, const char *tmpl)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "%s", tmpl);
    if (!mkdtemp(dir) || chdir(dir) != 0)
        return -1;
    *state = dir;
    return 0;
}

/* cmocka teardown of sf_test_scratch: back to the start, the folder
 * removed with all it holds. */
SF_TEST_FN int sf_test_scratch_remove(void **state)
{
    if (chdir(sf_test_start) != 0)
        return -1;
    return sf_test_rmtree((const char *)*state);
}

/* Write text as c.ini in the current folder and load it over the
 * defaults (presets from share): the loader's result, its message in
 * *ctx. cfg is to be released by the caller. */
SF_TEST_FN sf_err sf_test_load_config(sf_config *cfg, sf_ctx *ctx, const char *text, const char *share)
{
    sf_test_write_file("c.ini", text);
    memset(ctx, 0, sizeof *ctx);
    assert_int_equal(sf_config_init(cfg), SF_OK);
    return sf_config_load(cfg, "c.ini", share, ctx);
}

/* ---- the ingest fixture ---------------------------------------------------- */

typedef struct {
    char dir[64];
    sf_config cfg;
    sf_dataset *ds;
    sf_rejects rj;
    sf_rejects_reader *rd;
    sf_ctx ctx;
} sf_test_ingest;

/* A fixture with its folder made from tmpl ("/tmp/NAME_XXXXXX"), the
 * default config and an empty rejects list; sf_test_ingest_free. */
SF_TEST_FN sf_test_ingest *sf_test_ingest_new(const char *tmpl)
{
    sf_test_ingest *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "%s", tmpl);
    assert_non_null(mkdtemp(f->dir));
    assert_int_equal(sf_config_init(&f->cfg), SF_OK);
    assert_int_equal(sf_rejects_init(&f->rj, f->dir, &f->ctx), SF_OK);
    f->cfg.max_reject_share = SF_PPM; /* most tests look at rejects, not the limit */
    return f;
}

SF_TEST_FN void sf_test_ingest_free(sf_test_ingest *f)
{
    sf_dataset_free(f->ds);
    sf_rejects_close(f->rd);
    sf_rejects_release(&f->rj);
    sf_config_release(&f->cfg);
    assert_int_equal(sf_test_rmtree(f->dir), 0);
    free(f);
}

/* Write n bytes of data to the fixture's folder as name; its path in
 * path (size bytes). */
SF_TEST_FN void sf_test_ingest_write(const sf_test_ingest *f, const char *name, const char *data, size_t n,
                                     char *path, size_t size)
{
    snprintf(path, size, "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

#endif
