/*
 * idspool.c - the hashed ids of an id set, kept to compare ids when hashes
 * match (see sf_idspool.h).
 *
 * An id in the spool: its length as a LEB128 varint, its bytes, a NUL (so
 * that a walk hands out C strings without copying). The tail that is not
 * in the file yet is in buf; it is written out before it would pass FLUSH_AT.
 */
#include "input/sf_idspool.h"

#include "base/sf_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLUSH_AT ((size_t)1 << 20)
#define CHUNK ((size_t)1 << 20)

bool sf_idspool_init(sf_idspool *sp, const char *dir)
{
    memset(sp, 0, sizeof *sp);
    sp->fd = -1;
    sp->no_file = !dir;
    return !dir || (sp->dir = sf_strdup(dir)) != NULL;
}

void sf_idspool_release(sf_idspool *sp)
{
    if (!sp)
        return;
    if (sp->fd >= 0)
        close(sp->fd);
    free(sp->dir);
    free(sp->buf);
    memset(sp, 0, sizeof *sp);
    sp->fd = -1;
}

size_t sf_idspool_bytes(const sf_idspool *sp) { return sp->cap; }

/* Write buf to the file; on any failure keep everything in memory from
 * then on (what was written stays readable). */
static void flush(sf_idspool *sp)
{
    if (sp->no_file)
        return;
    if (sp->fd < 0 && (sp->fd = sf_tmpfile(sp->dir)) < 0) {
        sp->no_file = true;
        return;
    }
    size_t done = 0;
    while (done < sp->len) {
        ssize_t w = pwrite(sp->fd, sp->buf + done, sp->len - done, (off_t)(sp->flushed + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            sp->no_file = true;
            break;
        }
        done += (size_t)w;
    }
    memmove(sp->buf, sp->buf + done, sp->len - done);
    sp->len -= done;
    sp->flushed += done;
}

bool sf_idspool_add(sf_idspool *sp, const char *id, size_t n, uint64_t *off)
{
    size_t need = n + 11; /* varint of a size_t, the bytes, the NUL */
    *off = sp->flushed + sp->len;
    if (*off + need > SF_IDSPOOL_MAX_OFFSET)
        return false;
    if (sp->len + need > FLUSH_AT)
        flush(sp); /* the buffer stays at FLUSH_AT while the file takes the rest */
    if (sp->len + need > sp->cap) {
        size_t cap = sp->cap ? sp->cap * 2 : 4096;
        while (cap < sp->len + need)
            cap *= 2;
        char *b = realloc(sp->buf, cap);
        if (!b)
            return false;
        sp->buf = b;
        sp->cap = cap;
    }
    unsigned char *d = (unsigned char *)sp->buf + sp->len;
    size_t v = n;
    while (v >= 0x80) {
        *d++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *d++ = (unsigned char)v;
    memcpy(d, id, n);
    d[n] = '\0';
    sp->len = (size_t)(d + n + 1 - (unsigned char *)sp->buf);
    return true;
}

/* The varint at p (at most avail bytes): its value, and the bytes it took
 * (0: cut short or too long). */
static size_t varint(const unsigned char *p, size_t avail, size_t *v)
{
    size_t x = 0;
    for (size_t i = 0; i < avail && i < 10; i++) {
        x |= (size_t)(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
            *v = x;
            return i + 1;
        }
    }
    return 0;
}

static bool read_all(int fd, void *dst, size_t n, uint64_t at, size_t *got)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = pread(fd, (char *)dst + done, n - done, (off_t)(at + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0)
            break;
        done += (size_t)r;
    }
    *got = done;
    return true;
}

int sf_idspool_equal(const sf_idspool *sp, uint64_t off, const char *id, size_t n)
{
    size_t len, k;
    if (off >= sp->flushed) {
        const unsigned char *p = (const unsigned char *)sp->buf + (off - sp->flushed);
        if (!(k = varint(p, sp->len - (off - sp->flushed), &len)))
            return -1;
        return len == n && memcmp(p + k, id, n) == 0;
    }
    /* from the file: the varint and n bytes (an id of another length
     * differs whatever its bytes) */
    unsigned char small[512];
    size_t want = n + 10, got;
    unsigned char *b = want <= sizeof small ? small : malloc(want);
    if (!b)
        return -1;
    int r = -1;
    if (read_all(sp->fd, b, want, off, &got) && (k = varint(b, got, &len)))
        r = len == n && k + n <= got && memcmp(b + k, id, n) == 0;
    if (b != small)
        free(b);
    return r;
}

/* Walk the ids in [from, to) of the file (to <= flushed, both at the
 * start of an id), a chunk at a time; an id cut by a chunk's end is read
 * again at the start of the next. */
static int each_file(const sf_idspool *sp, uint64_t from, uint64_t to, sf_idspool_fn fn, void *arg)
{
    size_t cap = CHUNK;
    unsigned char *b = malloc(cap);
    if (!b)
        return -1;
    int rc = 0;
    uint64_t at = from;
    while (at < to && rc == 0) {
        size_t want = to - at < cap ? (size_t)(to - at) : cap, got;
        if (!read_all(sp->fd, b, want, at, &got) || got == 0) {
            rc = -1;
            break;
        }
        size_t i = 0, len, k;
        while (i < got) {
            if (!(k = varint(b + i, got - i, &len)) || i + k + len + 1 > got)
                break;
            if (!fn((const char *)b + i + k, len, at + i, arg)) {
                rc = 1;
                break;
            }
            i += k + len + 1;
        }
        if (rc == 0 && i == 0) { /* one id longer than the chunk */
            if (want < cap) {
                rc = -1; /* cut short: not a spool this module wrote */
                break;
            }
            unsigned char *nb = realloc(b, cap * 2);
            if (!nb) {
                rc = -1;
                break;
            }
            b = nb;
            cap *= 2;
        }
        at += i;
    }
    free(b);
    return rc;
}

int sf_idspool_each_range(const sf_idspool *sp, uint64_t from, uint64_t to, sf_idspool_fn fn, void *arg)
{
    if (from < sp->flushed) {
        int rc = each_file(sp, from, to < sp->flushed ? to : sp->flushed, fn, arg);
        if (rc)
            return rc;
    }
    size_t i = from > sp->flushed ? (size_t)(from - sp->flushed) : 0, len, k;
    size_t end = to > sp->flushed ? (size_t)(to - sp->flushed) : 0;
    const unsigned char *p = (const unsigned char *)sp->buf;
    while (i < end && i < sp->len) {
        if (!(k = varint(p + i, sp->len - i, &len)))
            return -1;
        if (!fn((const char *)p + i + k, len, sp->flushed + i, arg))
            return 1;
        i += k + len + 1;
    }
    return 0;
}

int sf_idspool_each(const sf_idspool *sp, sf_idspool_fn fn, void *arg)
{
    return sf_idspool_each_range(sp, 0, sf_idspool_size(sp), fn, arg);
}

uint64_t sf_idspool_size(const sf_idspool *sp) { return sp->flushed + sp->len; }

/* Neither a varint's bytes (an id is never empty: its last byte is not 0)
 * nor an id's (a C string) are NUL: the byte after a NUL starts an id. */
bool sf_idspool_middle(const sf_idspool *sp, uint64_t *mid)
{
    uint64_t total = sf_idspool_size(sp), at = total / 2;
    unsigned char b[4096];
    while (at < total) {
        size_t got;
        if (at >= sp->flushed) {
            got = sp->len - (size_t)(at - sp->flushed);
            if (got > sizeof b)
                got = sizeof b;
            memcpy(b, sp->buf + (at - sp->flushed), got);
        } else {
            size_t want = sp->flushed - at < sizeof b ? (size_t)(sp->flushed - at) : sizeof b;
            if (!read_all(sp->fd, b, want, at, &got) || got == 0)
                return false;
        }
        const unsigned char *nul = memchr(b, '\0', got);
        if (nul) {
            *mid = at + (uint64_t)(nul - b) + 1;
            return *mid < total;
        }
        at += got;
    }
    return false;
}
