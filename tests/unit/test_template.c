/*
 * test_template.c - {placeholder} rendering: known names, "{{" / "}}"
 * escapes, braces that are not placeholders, the unknown-name errors (with
 * and without the template line), the value table (replacing, values
 * from data flattened, a full table), and placeholders that leave their
 * whole line out (a rep's mail has no team-wide rejected count).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/sf_template.h"

static void test_known_placeholders(void **state)
{
    (void)state;
    sf_tvars t = {0};
    sf_tvars_set(&t, "due_count", "11");
    sf_tvars_set(&t, "owner", "Anna");
    sf_tvars_set(&t, "empty", NULL);
    sf_ctx ctx = {0};
    sf_buf out = {0};
    sf_buf_puts(&out, "> "); /* rendering appends */
    assert_int_equal(sf_template_render("Due: {due_count} for {owner}{empty}.", &t, "x", false, &out, &ctx),
                     SF_OK);
    assert_string_equal(sf_buf_str(&out), "> Due: 11 for Anna.");
    sf_buf_free(&out);
    /* a value is text: braces in it are not expanded again */
    sf_tvars_set(&t, "owner", "{due_count}");
    assert_int_equal(sf_template_render("{owner}", &t, "x", false, &out, &ctx), SF_OK);
    assert_string_equal(sf_buf_str(&out), "{due_count}");
    assert_int_equal(t.n, 3); /* replaced, not added */
    sf_buf_free(&out);
    sf_tvars_free(&t);
    assert_int_equal(t.n, 0);
}

static void test_braces(void **state)
{
    (void)state;
    sf_tvars t = {0};
    sf_tvars_set(&t, "a", "A");
    sf_ctx ctx = {0};
    sf_buf out = {0};
    assert_int_equal(sf_template_render("{{a}} {{{a}}} { } {a-b} {} } {", &t, "x", false, &out, &ctx), SF_OK);
    assert_string_equal(sf_buf_str(&out), "{a} {A} { } {a-b} {} } {");
    assert_int_equal(ctx.code, SF_OK);
    sf_buf_free(&out);
    sf_tvars_free(&t);
}

static void test_unknown_placeholder(void **state)
{
    (void)state;
    sf_tvars t = {0};
    sf_tvars_set(&t, "due_count", "11");
    sf_ctx ctx = {0};
    sf_buf out = {0};
    /* a template file: the line is named ("{{" on line 2 is no placeholder) */
    assert_int_equal(sf_template_render("Hello\n{{x}}\nDue: {due_cnt}\n", &t, "/tmp/body.txt", true, &out, &ctx),
                     SF_ERR_USAGE);
    assert_string_equal(ctx.msg, "/tmp/body.txt:3: unknown placeholder '{due_cnt}'");
    sf_buf_free(&out);
    /* a template from a label or the config: only where */
    sf_ctx c2 = {0};
    assert_int_equal(sf_template_render("Report {as_off}", &t, "cfg.ini: [email] subject", false, &out, &c2),
                     SF_ERR_USAGE);
    assert_string_equal(c2.msg, "cfg.ini: [email] subject: unknown placeholder '{as_off}'");
    sf_buf_free(&out);
    /* a name is matched whole: {due} is not {due_count} */
    sf_ctx c3 = {0};
    assert_int_equal(sf_template_render("{due}", &t, "w", false, &out, &c3), SF_ERR_USAGE);
    assert_string_equal(c3.msg, "w: unknown placeholder '{due}'");
    sf_buf_free(&out);
    sf_tvars_free(&t);
}

static void test_values(void **state)
{
    (void)state;
    sf_tvars t = {0};
    /* a value from the data keeps the layout: control characters become spaces */
    sf_tvars_set_flat(&t, "owner", "Ben\nBcc: x\t\x7f!");
    assert_string_equal(sf_tvars_get(&t, "owner", 5), "Ben Bcc: x  !");
    assert_null(sf_tvars_get(&t, "own", 3));
    assert_null(sf_tvars_get(&t, "owners", 6));
    assert_false(t.oom);
    /* the table holds SF_TVARS_MAX names; one more is oom */
    static char names[SF_TVARS_MAX + 1][16];
    for (int i = 1; i < SF_TVARS_MAX; i++) {
        snprintf(names[i], sizeof names[i], "v%d", i);
        sf_tvars_set(&t, names[i], "x");
    }
    assert_int_equal(t.n, SF_TVARS_MAX);
    assert_false(t.oom);
    sf_tvars_set(&t, "owner", "again"); /* replacing still works */
    assert_false(t.oom);
    snprintf(names[0], sizeof names[0], "extra");
    sf_tvars_set(&t, names[0], "x");
    assert_true(t.oom);
    sf_tvars_free(&t);
    assert_false(t.oom);
    sf_tvars_free(NULL);
}

static void test_omitted_lines(void **state)
{
    (void)state;
    sf_tvars t = {0};
    sf_tvars_set(&t, "due", "3");
    sf_tvars_omit(&t, "rejected");
    sf_ctx ctx = {0};
    sf_buf out = {0};
    sf_buf_puts(&out, "> "); /* what was there before stays */
    const char *tmpl = "Due: {due}\n  Rejected: {rejected} records\nEnd {due}\n{rejected}";
    assert_int_equal(sf_template_render(tmpl, &t, "x", true, &out, &ctx), SF_OK);
    assert_string_equal(sf_buf_str(&out), "> Due: 3\nEnd 3\n");
    sf_buf_free(&out);
    /* the first line of the output: only that line goes, not what came before */
    assert_int_equal(sf_template_render("{rejected} x\nkept", &t, "x", true, &out, &ctx), SF_OK);
    assert_string_equal(sf_buf_str(&out), "kept");
    sf_buf_free(&out);
    /* line numbers of later errors still count the dropped line */
    assert_int_equal(sf_template_render("a {rejected}\nb\n{nope}", &t, "f.txt", true, &out, &ctx),
                     SF_ERR_USAGE);
    assert_non_null(strstr(ctx.msg, "f.txt:3:"));
    sf_buf_free(&out);
    /* set again: an ordinary value */
    sf_tvars_set(&t, "rejected", "7");
    sf_ctx ctx2 = {0};
    assert_int_equal(sf_template_render("R {rejected}\n", &t, "x", false, &out, &ctx2), SF_OK);
    assert_string_equal(sf_buf_str(&out), "R 7\n");
    sf_buf_free(&out);
    sf_tvars_free(&t);
}

/* Where {attached} goes: a literal "{{attached}}" or a longer name is not
 * the placeholder (the mail then puts the lines on files left out among
 * its notes). */
static void test_uses(void **state)
{
    (void)state;
    assert_true(sf_template_uses("a\n{attached}\n-- \n", "attached"));
    assert_true(sf_template_uses("{{x}} {attached}", "attached"));
    assert_false(sf_template_uses("{{attached}}", "attached"));
    assert_false(sf_template_uses("{attached_files} {attache}", "attached"));
    assert_false(sf_template_uses("{attached", "attached"));
    assert_false(sf_template_uses("", "attached"));
    assert_false(sf_template_uses(NULL, "attached"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_placeholders),
        cmocka_unit_test(test_braces),
        cmocka_unit_test(test_unknown_placeholder),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_omitted_lines),
        cmocka_unit_test(test_uses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
