/*
 * synonyms.c - what a header or a value names (include/input/sf_sniff.h):
 * the canonical field a column header stands for, in English, Russian,
 * Polish and Indonesian and in the CRMs' API spellings; and the class of
 * a status, activity-type or outcome value.
 *
 * Headers compare on their letters and digits, lower-cased: the export's
 * punctuation, spacing and case (Close Date, CloseDate, close_date,
 * CLOSEDATE) do not matter. A synonym is a guess that `salesfocus init`
 * writes down with a comment, never a rule of the run: the run maps only
 * what the configuration names.
 */
#include "input/sf_sniff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- headers -------------------------------------------------------------------- */

char *sf_header_norm(const char *h)
{
    while (*h == ' ' || *h == '\t')
        h++;
    size_t n = strlen(h);
    while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
        n--;
    if (n && h[n - 1] == '*') {
        n--;
        while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
            n--;
    }
    char *t = sf_strndup(h, n);
    if (!t)
        return NULL;
    char *low = sf_utf8_lower(t);
    free(t);
    return low;
}

bool sf_header_eq(const char *a, const char *b)
{
    char *x = sf_header_norm(a), *y = sf_header_norm(b);
    bool eq = x && y && strcmp(x, y) == 0;
    free(x);
    free(y);
    return eq;
}

/* Letters and digits of s, lower-cased, into out (cap bytes). */
static void key_of(const char *s, char *out, size_t cap)
{
    char *low = sf_utf8_lower(s);
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)(low ? low : s);
    while (*p && o + 4 < cap) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z')) {
            out[o++] = (char)(*p | (*p >= 'A' && *p <= 'Z' ? 0x20 : 0));
            p++;
        } else if (*p >= 0xC3 && *p <= 0xD4 && (p[1] & 0xC0) == 0x80) {
            /* Latin-1 letters, Latin Extended-A, Cyrillic: two bytes */
            out[o++] = (char)p[0];
            out[o++] = (char)p[1];
            p += 2;
        } else {
            p++;
        }
    }
    out[o] = '\0';
    free(low);
}

typedef struct {
    sf_file_kind kind;
    int field;
    int strength;      /* 2 synonym, 1 weak */
    const char *names; /* '|'-separated */
} synonym;

/* Names as exports write them; compared through key_of. */
static const synonym synonyms[] = {
    /* accounts */
    {SF_FILE_ACCOUNTS, SF_AF_ACCOUNT_ID, 2,
     "account id|accountid|id|record id|company id|customer id|client id|account number|organization id|"
     "код|код клиента|id компании|id клиента|ид|идентификатор|id klienta|identyfikator|kod klienta|"
     "id pelanggan|kode pelanggan|id perusahaan"},
    {SF_FILE_ACCOUNTS, SF_AF_NAME, 2,
     "name|account name|company name|company|organization|organization name|organization - name|client|"
     "customer|название|название компании|компания|наименование|клиент|контрагент|nazwa|nazwa firmy|firma|"
     "klient|kontrahent|nama|nama perusahaan|perusahaan|pelanggan"},
    {SF_FILE_ACCOUNTS, SF_AF_OWNER, 2,
     "owner|account owner|company owner|organization - owner|owner id|ownerid|owner name|owner__name|"
     "assigned to|responsible|sales rep|user id|assigned by id|ответственный|менеджер|владелец|opiekun|"
     "właściciel|handlowiec|pemilik|penanggung jawab|sales"},
    {SF_FILE_ACCOUNTS, SF_AF_INDUSTRY, 2,
     "industry|sector|organization - industry|отрасль|сфера деятельности|branża|industri|sektor|bidang usaha"},
    {SF_FILE_ACCOUNTS, SF_AF_REGION, 2,
     "region|country|country/region|state|city|billing country|billingcountry|billing city|billingcity|"
     "billing state/province|billingstate|регион|город|страна|область|województwo|miasto|kraj|region|"
     "wilayah|kota|provinsi|negara"},
    {SF_FILE_ACCOUNTS, SF_AF_EMPLOYEES, 2,
     "employees|number of employees|numberofemployees|organization - number of employees|кол-во сотрудников|"
     "количество сотрудников|сотрудников|liczba pracowników|pracownicy|jumlah karyawan|karyawan"},
    {SF_FILE_ACCOUNTS, SF_AF_COMPANY_REVENUE, 2,
     "annual revenue|annualrevenue|company revenue|organization - annual revenue|годовой оборот|оборот|"
     "выручка|przychód roczny|obroty|przychody|pendapatan tahunan|omzet"},
    {SF_FILE_ACCOUNTS, SF_AF_CONTACT_TITLE, 2, "contact title|job title|title|должность|stanowisko|jabatan"},
    {SF_FILE_ACCOUNTS, SF_AF_FIT, 2, "fit|icp|ideal customer profile|hs_ideal_customer_profile|tier"},

    /* transactions */
    {SF_FILE_TRANSACTIONS, SF_TF_ACCOUNT_ID, 2,
     "account id|accountid|customer id|client id|company id|associated company ids|partner|partner id|"
     "partner_id/id|customer|client|company|account|клиент|компания|контрагент|покупатель|klient|kontrahent|"
     "firma|nabywca|pelanggan|perusahaan|mitra"},
    {SF_FILE_TRANSACTIONS, SF_TF_DATE, 2,
     "date|invoice date|invoice_date|order date|posting date|document date|дата|дата счета|дата счёта|"
     "дата выставления|дата документа|дата оплаты|data|data faktury|data wystawienia|data sprzedaży|tanggal|"
     "tanggal faktur|tanggal invoice"},
    {SF_FILE_TRANSACTIONS, SF_TF_AMOUNT, 2,
     "amount|total|amount total|amount_total|amount_total_signed|amount billed|invoice amount|order amount|"
     "sum|revenue|сумма|итого|сумма документа|сумма счета|kwota|wartość|suma|kwota brutto|wartość brutto|"
     "jumlah|nilai|total faktur"},
    {SF_FILE_TRANSACTIONS, SF_TF_QUANTITY, 2, "quantity|qty|количество|кол-во|ilość|kuantitas|jumlah barang"},
    {SF_FILE_TRANSACTIONS, SF_TF_UNIT_PRICE, 2, "unit price|price|цена|cena|cena jednostkowa|harga|harga satuan"},
    {SF_FILE_TRANSACTIONS, SF_TF_TRANSACTION_ID, 2,
     "transaction id|invoice number|invoice id|invoice no|order number|order id|number|id|номер|номер счета|"
     "номер счёта|номер документа|numer|numer faktury|nomor|nomor faktur|no faktur"},
    {SF_FILE_TRANSACTIONS, SF_TF_MARGIN, 2, "margin|gross margin|маржа|валовая прибыль|marża|margin kotor"},
    {SF_FILE_TRANSACTIONS, SF_TF_CURRENCY, 2,
     "currency|currency code|currencyisocode|currency_id|валюта|waluta|mata uang"},

    /* activities */
    {SF_FILE_ACTIVITIES, SF_VF_ACCOUNT_ID, 2,
     "account id|accountid|company|organization|activity - organization|associated company ids|client|"
     "customer|компания|клиент|контрагент|firma|klient|perusahaan|pelanggan"},
    {SF_FILE_ACTIVITIES, SF_VF_DATE, 2,
     "date|activity date|activitydate|activity - due date|due date|activitydatetime|completed date|"
     "start date|дата|дата исполнения|срок|крайний срок|data|termin|data wykonania|tanggal|tanggal aktivitas"},
    {SF_FILE_ACTIVITIES, SF_VF_TYPE, 2,
     "type|activity type|activity - type|call type|task type|тип|тип задачи|тип дела|вид|typ|rodzaj|"
     "typ aktywności|jenis|tipe|jenis aktivitas"},
    {SF_FILE_ACTIVITIES, SF_VF_OWNER, 2,
     "owner|ownerid|owner id|assigned|assigned to|activity assigned to|activity - assigned to user|"
     "responsible|ответственный|исполнитель|przypisane do|właściciel|opiekun|pemilik|ditugaskan"},
    {SF_FILE_ACTIVITIES, SF_VF_OUTCOME, 2,
     "outcome|result|call result|call outcome|disposition|результат|итог|wynik|rezultat|hasil"},
    {SF_FILE_ACTIVITIES, SF_VF_DURATION_MIN, 2,
     "duration|duration minutes|durationinminutes|duration (minutes)|длительность|продолжительность|"
     "czas trwania|durasi"},

    /* opportunities */
    {SF_FILE_OPPORTUNITIES, SF_OF_OPPORTUNITY_ID, 2,
     "opportunity id|id|record id|deal id|deal - id|deal - pipedrive system id|номер|id сделки|ид|"
     "id szansy|id transakcji|id peluang|id kesepakatan"},
    {SF_FILE_OPPORTUNITIES, SF_OF_ACCOUNT_ID, 2,
     "account id|accountid|account name|account|company|company id|company_id|organization|"
     "deal - organization|organization - name|associated company ids|account_name__name|partner|partner_id|"
     "partner_id/id|компания|клиент|контрагент|компания контакта|firma|klient|kontrahent|perusahaan|"
     "pelanggan|organisasi"},
    {SF_FILE_OPPORTUNITIES, SF_OF_CREATED, 2,
     "created|created date|createddate|create date|created_time|create_date|date_create|created at|"
     "deal - deal created|deal created|date created|дата создания|дата создания сделки|создана|"
     "data utworzenia|utworzono|tanggal dibuat|dibuat"},
    {SF_FILE_OPPORTUNITIES, SF_OF_STATUS, 2, "status|deal - status|state|статус|status|stan|status"},
    {SF_FILE_OPPORTUNITIES, SF_OF_STATUS, 1,
     "stage|stage name|stagename|deal stage|deal - stage|stage_id|stage_id/id|этап|этап сделки|стадия|"
     "стадия сделки|etap|tahap"},
    {SF_FILE_OPPORTUNITIES, SF_OF_STAGE, 2,
     "stage|stage name|stagename|deal stage|deal - stage|stage_id|stage_id/id|этап|этап сделки|стадия|"
     "стадия сделки|etap|etap sprzedaży|tahap|tahapan"},
    {SF_FILE_OPPORTUNITIES, SF_OF_AMOUNT, 2,
     "amount|value|deal - value|budget|expected revenue|expected_revenue|opportunity|deal amount|сумма|"
     "бюджет|сумма сделки|kwota|wartość|budżet|nilai|jumlah|anggaran"},
    {SF_FILE_OPPORTUNITIES, SF_OF_CURRENCY, 2,
     "currency|deal - currency|deal - currency of value|currencyisocode|currency_id|валюта|waluta|mata uang"},
    {SF_FILE_OPPORTUNITIES, SF_OF_PROBABILITY, 2,
     "probability|probability (%)|deal - probability|вероятность|prawdopodobieństwo|probabilitas|peluang"},
    {SF_FILE_OPPORTUNITIES, SF_OF_CLOSE_DATE, 2,
     "close date|closedate|closing date|closing_date|date_closed|closed on|deal - deal closed on|"
     "deal - closed on|expected close date|дата закрытия|предполагаемая дата закрытия|дата завершения|"
     "data zamknięcia|tanggal tutup|tanggal penutupan"},
    {SF_FILE_OPPORTUNITIES, SF_OF_NEXT_STEP_DATE, 2,
     "next step date|next activity date|deal - next activity date|nextstepdate|дата следующего шага|"
     "data następnego kroku|tanggal langkah berikutnya"},
    {SF_FILE_OPPORTUNITIES, SF_OF_NEXT_STEP, 2,
     "next step|nextstep|deal - next activity subject|следующий шаг|następny krok|langkah berikutnya"},
    {SF_FILE_OPPORTUNITIES, SF_OF_OWNER, 2,
     "owner|ownerid|owner id|deal owner|deal - owner|opportunity owner|owner__name|user_id|user_id/id|"
     "assigned_by_id|responsible|ответственный|менеджер|opiekun|właściciel|handlowiec|pemilik"},
    {SF_FILE_OPPORTUNITIES, SF_OF_CONTACT_TITLE, 2, "contact title|title|job title|должность|stanowisko|jabatan"},
    {SF_FILE_OPPORTUNITIES, SF_OF_NAME, 2,
     "deal name|opportunity name|deal - title|title|opportunity|name|название сделки|сделка|nazwa szansy|"
     "nazwa transakcji|nama kesepakatan|nama peluang"},
    {SF_FILE_OPPORTUNITIES, SF_OF_IS_WON, 2, "is won|iswon|won|won_status|выиграна|wygrana|menang"},
    {SF_FILE_OPPORTUNITIES, SF_OF_IS_CLOSED, 2, "is closed|isclosed|closed|закрыта|zamknięta|ditutup"},

    /* users */
    {SF_FILE_USERS, SF_UF_USER_ID, 2, "id|user id|userid|user_id|ид|id użytkownika|id pengguna"},
    {SF_FILE_USERS, SF_UF_NAME, 2, "name|full name|user name|display name|имя пользователя|фио|imię i nazwisko|"
                                   "nama lengkap"},
    {SF_FILE_USERS, SF_UF_FIRST_NAME, 2, "first name|firstname|given name|имя|imię|nama depan"},
    {SF_FILE_USERS, SF_UF_LAST_NAME, 2, "last name|lastname|surname|family name|фамилия|nazwisko|nama belakang"},
};

int sf_alternatives(const char *mapping, char *buf, size_t cap, const char **alt, int max)
{
    snprintf(buf, cap, "%s", mapping);
    int n = 0;
    for (char *p = buf; n < max;) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        char *e = p + strlen(p);
        while (*p == ' ' || *p == '\t')
            p++;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (*p)
            alt[n++] = p;
        if (!bar)
            break;
        p = bar + 1;
    }
    return n;
}

/* Headers naming the contact (person), the client in a B2C book. */
static const char *const contact_names =
    "contact|contact name|contact_name__name|full name|contact full name|полное имя контакта|"
    "основной контакт|контакт|имя контакта|kontakt|osoba kontaktowa|kontak|nama kontak";

/* Is key k one of the '|'-separated names (compared as keys)? */
static bool in_names(const char *k, const char *names)
{
    char item[256], ik[256];
    for (const char *p = names; *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n < sizeof item) {
            memcpy(item, p, n);
            item[n] = '\0';
            key_of(item, ik, sizeof ik);
            if (*ik && strcmp(ik, k) == 0)
                return true;
        }
        p += n + (bar ? 1 : 0);
    }
    return false;
}

int sf_synonym_strength(sf_file_kind k, int field, const char *h)
{
    char hk[256], ck[64];
    key_of(h, hk, sizeof hk);
    if (!*hk)
        return 0;
    const char *canon = sf_field_name(k, field);
    if (canon) {
        key_of(canon, ck, sizeof ck);
        if (strcmp(ck, hk) == 0)
            return 3;
    }
    int best = 0;
    for (size_t i = 0; i < SF_ARRAY_LEN(synonyms); i++)
        if (synonyms[i].kind == k && synonyms[i].field == field && synonyms[i].strength > best &&
            in_names(hk, synonyms[i].names))
            best = synonyms[i].strength;
    return best;
}

/* Headers of a subject line: where activities without a type say what
 * they were ("Call", "Email", "Llamada"). */
static const char *const subject_names = "subject|тема|описание|temat|subjek|perihal|asunto";

/* Headers of a users export (people, not companies). */
static const char *const user_names =
    "username|user name|login|email|e-mail|first name|firstname|last name|lastname|isactive|is active|alias|"
    "логин|имя|фамилия|imię|nazwisko|nama depan|nama belakang";

sf_header_role sf_header_role_of(const char *h)
{
    char hk[256];
    key_of(h, hk, sizeof hk);
    if (!*hk)
        return SF_ROLE_NONE;
    if (in_names(hk, contact_names))
        return SF_ROLE_CONTACT;
    if (in_names(hk, subject_names))
        return SF_ROLE_SUBJECT;
    if (in_names(hk, user_names))
        return SF_ROLE_USER;
    return SF_ROLE_NONE;
}

/* ---- values --------------------------------------------------------------------- */

/* Does the lower-cased value hold any of the '|'-separated words? (Parts
 * of words: "lose" is left out since "close" holds it, "win" since
 * "winter" does.) */
static bool has_word(const char *low, const char *words)
{
    char w[64];
    for (const char *p = words; *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n < sizeof w) {
            memcpy(w, p, n);
            w[n] = '\0';
            if (strstr(low, w))
                return true;
        }
        p += n + (bar ? 1 : 0);
    }
    return false;
}

sf_status sf_guess_status(const char *v, bool *closed)
{
    *closed = false;
    char *low = sf_utf8_lower(v ? v : "");
    if (!low)
        return SF_ST_OPEN;
    /* codes first: closedwon, C6:WON, LOSE, APOLOGY */
    char k[128];
    key_of(low, k, sizeof k);
    const char *colon = strrchr(low, ':');
    const char *code = colon ? colon + 1 : low;
    sf_status st = SF_ST_OPEN;
    if (strcmp(code, "won") == 0 || strcmp(k, "closedwon") == 0 || strcmp(code, "win") == 0)
        st = SF_ST_WON;
    else if (strcmp(code, "lose") == 0 || strcmp(code, "lost") == 0 || strcmp(code, "apology") == 0 ||
             strcmp(k, "closedlost") == 0)
        st = SF_ST_LOST;
    /* lost first: "не реализовано" holds "реализовано", "nie wygrana" holds "wygrana" */
    else if (has_word(low, "lost|провал|проигр|не реализ|отказ|неуспеш|przegr|utracon|odrzucon|"
                           "nie wygr|kalah|gagal|batal|hilang|perdid"))
        st = SF_ST_LOST;
    else if (has_word(low, "won|успешн|реализовано|выигр|выиграна|wygran|sukces|menang|berhasil|"
                           "sukses|ganad"))
        st = SF_ST_WON;
    else if (has_word(low, "closed|close|закрыт|zamkni|tutup|selesai|cerrad"))
        *closed = true;
    free(low);
    return st;
}

sf_act_type sf_guess_act_type(const char *v)
{
    char *low = sf_utf8_lower(v ? v : "");
    if (!low)
        return SF_ACT_OTHER;
    sf_act_type t = SF_ACT_OTHER;
    if (has_word(low, "call|phone|звон|телефон|telefon|połącz|panggil|telepon|llamad"))
        t = SF_ACT_CALL;
    else if (has_word(low, "mail|письм|почт|wiadomo|surel|correo"))
        t = SF_ACT_EMAIL;
    else if (has_word(low, "visit|визит|выезд|wizyt|kunjung|visita"))
        t = SF_ACT_VISIT;
    else if (has_word(low, "meet|встреч|spotkan|rapat|pertemuan|reuni"))
        t = SF_ACT_MEETING;
    free(low);
    return t;
}

sf_outcome sf_guess_outcome(const char *v)
{
    char *low = sf_utf8_lower(v ? v : "");
    if (!low)
        return SF_OUT_NONE;
    sf_outcome o = SF_OUT_NONE;
    if (has_word(low, "no answer|not reached|busy|не состоя|не дозвон|недозвон|nie odebr|brak odp|tidak"))
        o = SF_OUT_NONE;
    else if (has_word(low, "meeting scheduled|meeting booked|appointment|назначен|встреча назнач|umówi|spotkanie "
                      "umów|janji|dijadwalkan"))
        o = SF_OUT_APPOINTMENT;
    else if (has_word(low, "connected|spoke|conversation|live message|разговор|дозвон|rozmow|połączono|"
                           "terhubung|berbicara|percakapan"))
        o = SF_OUT_CONVERSATION;
    free(low);
    return o;
}
