/*
 * test_sniff.c - the sniffers: encodings (Russian in CP1251 and KOI8-R,
 * Spanish in ISO-8859-1, Polish in CP1250 and ISO-8859-2, typographic
 * quotes in CP1252, UTF-8, a Latin-1 line after 2 MiB of ASCII), delimiter
 * counts, date formats (with a value that is no date, the day/month
 * ambiguity and a preferred format), number formats in the locales of
 * CRM-EXPORTS.md, tolerant header comparison, header synonyms in the four
 * languages and the CRMs' API names, and the classes of status, activity
 * type and outcome values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/sf_sniff.h"

/* UTF-8 text s converted to `enc` (static buffer). */
static const char *conv(const char *s, const char *enc, size_t *n)
{
    static char out[8192];
    iconv_t cd = iconv_open(enc, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *in = (char *)s, *o = out;
    size_t il = strlen(s), ol = sizeof out;
    assert_true(iconv(cd, &in, &il, &o, &ol) != (size_t)-1);
    iconv_close(cd);
    *n = (size_t)(o - out);
    return out;
}

static void enc_is(const char *utf8, const char *enc, const char *want)
{
    size_t n;
    const char *b = conv(utf8, enc, &n);
    assert_string_equal(sf_sniff_encoding(b, n), want);
}

static const char *const RU = "ID;Название компании;Ответственный;Город\n"
                              "1;ООО Ромашка;Иванов Иван;Москва\n"
                              "2;ИП Петров;Сидорова Анна;Санкт-Петербург\n"
                              "3;Лесная сказка;Кузнецов Пётр;Новосибирск\n";
static const char *const ES = "Id,Name,BillingCity\n"
                              "1,José Pérez,Ciudad de México\n"
                              "2,Compañía Ñandú,Bogotá\n"
                              "3,Ana María Núñez,Perú\n";
static const char *const PL = "Id;Nazwa;Miasto\n"
                              "1;Zakład Usług Leśnych;Łódź\n"
                              "2;Przedsiębiorstwo Handlowe Żółw;Gdańsk\n"
                              "3;Spółka Świętokrzyska;Kraków\n";

static void test_encoding(void **state)
{
    (void)state;
    assert_string_equal(sf_sniff_encoding(RU, strlen(RU)), "UTF-8");
    assert_string_equal(sf_sniff_encoding("plain ascii", 11), "UTF-8");
    assert_string_equal(sf_sniff_encoding("caf\xC3", 4), "UTF-8"); /* cut off by the sample */
    enc_is(RU, "CP1251", "CP1251");
    enc_is(RU, "KOI8-R", "KOI8-R");
    enc_is(ES, "ISO-8859-1", "ISO-8859-1");
    enc_is(PL, "CP1250", "CP1250");
    enc_is(PL, "ISO-8859-2", "ISO-8859-2");
    enc_is("Name,Note\nCafé “Le Zinc”,Price €12 – paid\nSmith’s,ok\n", "CP1252", "CP1252");
}

static void test_file_encoding(void **state)
{
    (void)state;
    char dir[] = "/tmp/sf_sniff_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f.csv", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("id,name\n", fp);
    for (int i = 0; i < 100000; i++) /* 2.2 MB of ASCII first */
        fprintf(fp, "%06d,Account %06d x\n", i, i);
    size_t n;
    const char *b = conv("999999,José Núñez y Compañía\n", "ISO-8859-1", &n);
    fwrite(b, 1, n, fp);
    fclose(fp);
    assert_string_equal(sf_sniff_file_encoding(path), "ISO-8859-1");
    fp = fopen(path, "wb");
    fputs("\xEF\xBB\xBFid,name\n1,Łódź\n", fp);
    fclose(fp);
    assert_string_equal(sf_sniff_file_encoding(path), "UTF-8");
    char line[256];
    size_t len;
    fp = fopen(path, "wb");
    fputs("\xEF\xBB\xBF\r\n\"a;b\",c;d;e\r\n1;2\n", fp);
    fclose(fp);
    assert_true(sf_sniff_first_line(path, line, sizeof line, &len));
    assert_string_equal(line, "\"a;b\",c;d;e");
    size_t counts[3];
    sf_sniff_delimiter_counts(line, len, counts);
    assert_int_equal(counts[0], 1);
    assert_int_equal(counts[1], 2);
    assert_int_equal(counts[2], 0);
    assert_string_equal(sf_delimiter_word(';'), "semicolon");
    unlink(path);
    assert_null(sf_sniff_file_encoding(path));
    rmdir(dir);
}

static void test_dates(void **state)
{
    (void)state;
    size_t parsed;
    bool amb;
    const char *ru[] = {"01.02.2025", "15.03.2025 10:00", "не закрыта", "", "3.4.2025"};
    assert_string_equal(sf_sniff_date_format(ru, 5, NULL, &parsed, &amb), "%d.%m.%Y");
    assert_int_equal(parsed, 3);
    assert_false(amb);
    const char *us[] = {"02/13/2025", "12/01/2025"};
    assert_string_equal(sf_sniff_date_format(us, 2, NULL, &parsed, &amb), "%m/%d/%Y");
    assert_int_equal(parsed, 2);
    assert_false(amb);
    const char *both[] = {"01/02/2025", "03/04/2025"};
    assert_string_equal(sf_sniff_date_format(both, 2, NULL, &parsed, &amb), "%d/%m/%Y");
    assert_true(amb);
    assert_string_equal(sf_sniff_date_format(both, 2, "%m/%d/%Y", &parsed, &amb), "%m/%d/%Y");
    const char *iso[] = {"2024-02-01 09:30", "2021-03-04T10:00:00+03:00", "2025-07-31T18:17:31+10:00"};
    assert_string_equal(sf_sniff_date_format(iso, 3, NULL, &parsed, &amb), "%Y-%m-%d");
    assert_int_equal(parsed, 3);
    const char *none[] = {"soon", ""};
    assert_null(sf_sniff_date_format(none, 2, NULL, &parsed, &amb));
    assert_int_equal(parsed, 0);
    const char *yy[] = {"01.02.25", "31.12.24"};
    assert_string_equal(sf_sniff_date_format(yy, 2, NULL, &parsed, &amb), "%d.%m.%y");
}

static void num_is(const char *const *v, size_t n, const sf_numfmt *pref, char dec, sf_thousands th)
{
    sf_numfmt f;
    size_t parsed;
    assert_true(sf_sniff_number_format(v, n, pref, &f, &parsed));
    assert_int_equal(f.decimal, dec);
    assert_int_equal(f.thousands, th);
}

static void test_numbers(void **state)
{
    (void)state;
    const char *ru[] = {"1 234,56", "150 000 ₽", "12,5", ""};
    num_is(ru, 4, NULL, ',', SF_THOUSANDS_SPACE);
    const char *en[] = {"1,234.56", "12.5", "$3,000"};
    num_is(en, 3, NULL, '.', SF_THOUSANDS_COMMA);
    const char *de[] = {"1.234,56", "7,5", "Rp 1.234.567,89"};
    num_is(de, 3, NULL, ',', SF_THOUSANDS_DOT);
    const char *grouped[] = {"1,234", "12,000"}; /* thousands, not three decimals */
    num_is(grouped, 2, NULL, '.', SF_THOUSANDS_COMMA);
    const char *plain[] = {"1500", "200.5"};
    num_is(plain, 2, NULL, '.', SF_THOUSANDS_NONE);
    const char *ints[] = {"1500", "200"};
    num_is(ints, 2, NULL, '.', SF_THOUSANDS_NONE);
    sf_numfmt pref = {',', SF_THOUSANDS_SPACE};
    num_is(ints, 2, &pref, ',', SF_THOUSANDS_SPACE);
    const char *nonum[] = {"n/a", ""};
    sf_numfmt f;
    size_t parsed;
    assert_false(sf_sniff_number_format(nonum, 2, NULL, &f, &parsed));
}

static void test_headers(void **state)
{
    (void)state;
    assert_true(sf_header_eq("  Бюджет ", "бюджет"));
    assert_true(sf_header_eq("Deal - Title *", "deal - title"));
    assert_true(sf_header_eq("Company Name", "Company name"));
    assert_false(sf_header_eq("Deal - Title", "Deal Title"));
    char *n = sf_header_norm(" ŁÓDŹ* ");
    assert_string_equal(n, "łódź");
    free(n);

    assert_int_equal(sf_synonym_strength(SF_FILE_ACCOUNTS, SF_AF_ACCOUNT_ID, "account_id"), 3);
    assert_int_equal(sf_synonym_strength(SF_FILE_OPPORTUNITIES, SF_OF_CLOSE_DATE, "CloseDate"), 3); /* the canonical name, spelt as an API */
    assert_int_equal(sf_synonym_strength(SF_FILE_OPPORTUNITIES, SF_OF_CLOSE_DATE, "CLOSEDATE"), 3);
    assert_int_equal(sf_synonym_strength(SF_FILE_OPPORTUNITIES, SF_OF_CLOSE_DATE, "Closing_Date"), 2);
    assert_int_equal(sf_synonym_strength(SF_FILE_OPPORTUNITIES, SF_OF_CREATED, "Дата создания сделки"), 2);
    assert_int_equal(sf_synonym_strength(SF_FILE_OPPORTUNITIES, SF_OF_STATUS, "StageName"), 1);
    assert_int_equal(sf_synonym_strength(SF_FILE_OPPORTUNITIES, SF_OF_STATUS, "Deal - Status"), 2);
    assert_int_equal(sf_synonym_strength(SF_FILE_OPPORTUNITIES, SF_OF_AMOUNT, "Бюджет "), 2);
    assert_int_equal(sf_synonym_strength(SF_FILE_ACTIVITIES, SF_VF_TYPE, "Тип задачи"), 2);
    assert_int_equal(sf_synonym_strength(SF_FILE_TRANSACTIONS, SF_TF_AMOUNT, "Kwota"), 2);
    assert_int_equal(sf_synonym_strength(SF_FILE_TRANSACTIONS, SF_TF_DATE, "Tanggal"), 2);
    assert_int_equal(sf_synonym_strength(SF_FILE_TRANSACTIONS, SF_TF_ACCOUNT_ID, "partner_id/id"), 2);
    assert_int_equal(sf_synonym_strength(SF_FILE_ACCOUNTS, SF_AF_EMPLOYEES, "Liczba pracowników"), 2);
    assert_int_equal(sf_synonym_strength(SF_FILE_OPPORTUNITIES, SF_OF_AMOUNT, "Description"), 0);
    assert_int_equal(sf_synonym_strength(SF_FILE_OPPORTUNITIES, SF_OF_AMOUNT, ""), 0);
    assert_int_equal(sf_header_role_of("Полное имя контакта"), SF_ROLE_CONTACT);
    assert_int_equal(sf_header_role_of("Contact_Name__name"), SF_ROLE_CONTACT);
    assert_int_equal(sf_header_role_of("Компания"), SF_ROLE_NONE);
    assert_int_equal(sf_header_role_of("Subject"), SF_ROLE_SUBJECT);
    assert_int_equal(sf_header_role_of("Username"), SF_ROLE_USER);
    assert_int_equal(sf_header_role_of("FirstName"), SF_ROLE_USER);
}

static void st_is(const char *v, sf_status want, bool want_closed)
{
    bool closed;
    assert_int_equal(sf_guess_status(v, &closed), want);
    assert_int_equal(closed, want_closed);
}

static void test_values(void **state)
{
    (void)state;
    st_is("Closed Won", SF_ST_WON, false);
    st_is("closedwon", SF_ST_WON, false);
    st_is("C6:WON", SF_ST_WON, false);
    st_is("WON", SF_ST_WON, false);
    st_is("C6:LOSE", SF_ST_LOST, false);
    st_is("APOLOGY", SF_ST_LOST, false);
    st_is("Успешно реализовано", SF_ST_WON, false);
    st_is("Закрыто и не реализовано", SF_ST_LOST, false);
    st_is("Сделка провалена", SF_ST_LOST, false);
    st_is("Closed-Lost to Competition", SF_ST_LOST, false);
    st_is("Cerrada ganada", SF_ST_WON, false);
    st_is("Cerrada perdida", SF_ST_LOST, false);
    st_is("Zamknięta wygrana", SF_ST_WON, false);
    st_is("Przegrana", SF_ST_LOST, false);
    st_is("Menang", SF_ST_WON, false);
    st_is("Kalah", SF_ST_LOST, false);
    st_is("Closed", SF_ST_OPEN, true);
    st_is("Закрыта", SF_ST_OPEN, true);
    st_is("Qualification", SF_ST_OPEN, false);
    st_is("Выдано", SF_ST_OPEN, false); /* a custom won stage: only the user knows */

    assert_int_equal(sf_guess_act_type("Звонок"), SF_ACT_CALL);
    assert_int_equal(sf_guess_act_type("Llamada"), SF_ACT_CALL);
    assert_int_equal(sf_guess_act_type("Telefon"), SF_ACT_CALL);
    assert_int_equal(sf_guess_act_type("E-mail"), SF_ACT_EMAIL);
    assert_int_equal(sf_guess_act_type("Письмо"), SF_ACT_EMAIL);
    assert_int_equal(sf_guess_act_type("Wizyta"), SF_ACT_VISIT);
    assert_int_equal(sf_guess_act_type("Kunjungan"), SF_ACT_VISIT);
    assert_int_equal(sf_guess_act_type("Встреча"), SF_ACT_MEETING);
    assert_int_equal(sf_guess_act_type("Rapat"), SF_ACT_MEETING);
    assert_int_equal(sf_guess_act_type("Task"), SF_ACT_OTHER);
    assert_int_equal(sf_guess_act_type(""), SF_ACT_OTHER);

    assert_int_equal(sf_guess_outcome("Connected"), SF_OUT_CONVERSATION);
    assert_int_equal(sf_guess_outcome("Разговор состоялся"), SF_OUT_CONVERSATION);
    assert_int_equal(sf_guess_outcome("Разговор не состоялся"), SF_OUT_NONE);
    assert_int_equal(sf_guess_outcome("No answer"), SF_OUT_NONE);
    assert_int_equal(sf_guess_outcome("Назначена встреча"), SF_OUT_APPOINTMENT);
    assert_int_equal(sf_guess_outcome("Meeting scheduled"), SF_OUT_APPOINTMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encoding), cmocka_unit_test(test_file_encoding), cmocka_unit_test(test_dates),
        cmocka_unit_test(test_numbers),  cmocka_unit_test(test_headers),       cmocka_unit_test(test_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
