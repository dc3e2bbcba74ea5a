/*
 * fuzz_sniff.c - libFuzzer harness for the sniffers of sf_sniff.h.
 *
 * The input is taken as a file's bytes (the encoding guess), as its first
 * line (delimiter counts), as values one per line (date and number
 * formats), as headers (normalising, synonyms) and as CRM values (classes).
 * Invariants:
 *   - the encoding is one of the names the guess can give;
 *   - the delimiter counts add up to at most the line's length;
 *   - a date or number format found parses exactly as many values as it
 *     says, and none parses more (for dates, of the formats it tries);
 *   - header comparison is reflexive; synonym strength is 0..3;
 *   - every class is a member of its enum.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "input/sf_ingest.h"
#include "input/sf_sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384)
        return 0;
    const char *enc = sf_sniff_encoding((const char *)data, size);
    static const char *const names[] = {"UTF-8", "CP1251", "KOI8-R", "ISO-8859-1", "CP1252", "CP1250", "ISO-8859-2"};
    bool known = false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        known |= strcmp(enc, names[i]) == 0;
    CHECK(known);
    size_t c[3];
    sf_sniff_delimiter_counts((const char *)data, size, c);
    CHECK(c[0] + c[1] + c[2] <= size);

    /* values: the input's lines, NUL-free */
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    const char *vals[256];
    size_t n = 0;
    for (char *p = s, *nl; n < 256 && p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        vals[n++] = p;
    }
    size_t parsed;
    bool amb;
    const char *fmt = sf_sniff_date_format(vals, n, "%d/%m/%Y", &parsed, &amb);
    if (fmt) {
        size_t again = 0;
        for (size_t i = 0; i < n; i++) {
            sf_date d;
            again += *vals[i] && sf_parse_date(vals[i], fmt, &d);
        }
        CHECK(again == parsed && parsed > 0);
        sf_date d;
        size_t other = 0;
        for (size_t i = 0; i < n; i++)
            other += *vals[i] && sf_parse_date(vals[i], "%Y-%m-%d", &d);
        CHECK(other <= parsed);
    } else {
        CHECK(parsed == 0);
    }
    sf_numfmt nf;
    if (sf_sniff_number_format(vals, n, NULL, &nf, &parsed)) {
        size_t again = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t cents;
            again += *vals[i] && sf_parse_money(vals[i], nf.decimal, nf.thousands, &cents, NULL);
        }
        CHECK(again == parsed && parsed > 0);
    }
    for (size_t i = 0; i < n && i < 16; i++) {
        CHECK(sf_header_eq(vals[i], vals[i]) || !sf_utf8_valid(vals[i], strlen(vals[i])));
        for (int k = 0; k < SF_FILE_N; k++)
            for (int f = 0; f < sf_field_count((sf_file_kind)k); f++) {
                int st = sf_synonym_strength((sf_file_kind)k, f, vals[i]);
                CHECK(st >= 0 && st <= 3);
            }
        bool closed;
        sf_status st = sf_guess_status(vals[i], &closed);
        CHECK(st == SF_ST_OPEN || st == SF_ST_WON || st == SF_ST_LOST);
        CHECK(!closed || st == SF_ST_OPEN);
        CHECK((int)sf_guess_act_type(vals[i]) >= 0 && sf_guess_act_type(vals[i]) < SF_ACT_N);
        sf_outcome o = sf_guess_outcome(vals[i]);
        CHECK(o == SF_OUT_NONE || o == SF_OUT_CONVERSATION || o == SF_OUT_APPOINTMENT);
        (void)sf_header_role_of(vals[i]);
    }
    free(s);
    return 0;
}
