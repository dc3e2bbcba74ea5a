/*
 * gen.c - sfgen, the deterministic sample-data generator for salesfocus.
 *
 * Writes accounts.csv, transactions.csv, activities.csv, opportunities.csv
 * and a config.ini that reads them, in the dialect of one CRM export
 * (headers, delimiter, encoding, date and number formats, footer). The data
 * is meant to look like a real sales book: Pareto-skewed client sizes,
 * seasonality, credit notes, churned and declining clients, prospects that
 * never buy, stale or missing next steps. Output is streamed: transactions
 * and activities are never held in memory, so ten million rows cost no more
 * memory than a thousand. Same arguments and seed -> byte-identical files.
 *
 * Plain C11 + libc + libm (no iconv: the CP1251 bytes come from a table).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "genlib.h"

/* snprintf whose truncation is intended (fixed-size value slots): going
 * through va_list keeps -Wformat-truncation quiet. */
static void fmt_into(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, n, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- PRNG */

/* xoshiro256** seeded through splitmix64: fast, good enough statistics,
 * and identical on every platform (no rand()). */
typedef struct { uint64_t s[4]; } rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return res;
}

/* Uniform in [0, 1). */
static double urand(rng *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

/* Uniform integer in [0, n); n > 0. The modulo bias is negligible here. */
static uint64_t irand(rng *r, uint64_t n) { return rng_next(r) % n; }

static int chance(rng *r, double p) { return urand(r) < p; }

/* Standard normal (Box-Muller, one value per call for simplicity). */
static double nrand(rng *r)
{
    double u = urand(r), v = urand(r);
    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* ---------------------------------------------------------------- dates */

/* days_from_civil, civil_from_days: genlib.h */

static int weekday(long z) { return (int)((z % 7 + 11) % 7); } /* 0 = Monday */

/* ---------------------------------------------------------------- languages */

typedef struct {
    const char *code, *currency, *foreign;
    double scale;          /* amounts relative to GBP-sized business */
    const char *usd_rate;  /* USD in report currency */
    int whole_money;       /* IDR: no minor units */
    const char *reps[12];
    const char *roots[20];
    const char *seconds[16];
    const char *forms[6];
    int nroots, nseconds, nforms;
    const char *industries[10];
    const char *regions[8];
    const char *titles[6];
    const char *next_steps[5];
    const char *deal_word;
} lang_t;

static const lang_t LANGS[] = {
    { "en", "GBP", "USD", 1.0, "0.79", 0,
      { "James Carter", "Emily Nguyen", "Michael Brooks", "Sarah Mitchell", "David Ortiz",
        "Laura Bennett", "Daniel Kim", "Rachel Foster", "Chris Walker", "Megan Hughes",
        "Tom Reynolds", "Priya Shah" },
      { "Acme", "Northwind", "Bluewater", "Summit", "Redwood", "Ironbridge", "Silverline",
        "Granite", "Harbor", "Pioneer", "Crescent", "Evergreen", "Keystone", "Lakeside",
        "Oakridge", "Pinnacle", "Sterling", "Vanguard", "Meridian", "Zenith" },
      { "Logistics", "Foods", "Medical", "Systems", "Builders", "Retail", "Energy", "Motors",
        "Labs", "Textiles", "Packaging", "Hotels", "Pharma", "Electric", "Steel", "Supply" },
      { "Ltd", "PLC", "Group", "& Co.", "Holdings", "LLP" }, 20, 16, 6,
      { "Manufacturing", "Retail", "Logistics", "Healthcare", "Construction", "Software",
        "Food & Beverage", "Energy", "Education", "Hospitality" },
      { "London", "South East", "North West", "Scotland", "Midlands", "Yorkshire", "Wales",
        "South West" },
      { "CEO", "CFO", "Purchasing Manager", "Owner", "Operations Director", "Office Manager" },
      { "Send proposal", "Demo call", "Follow-up call", "Contract review", "Site visit" },
      "Deal" },
    { "ru", "RUB", "USD", 100.0, "90", 0,
      { "Алексей Смирнов", "Мария Иванова", "Дмитрий Кузнецов", "Екатерина Попова",
        "Сергей Волков", "Анна Соколова", "Игорь Лебедев", "Ольга Новикова", "Павел Морозов",
        "Наталья Козлова", "Андрей Фёдоров", "Юлия Орлова" },
      { "Альфа", "Вектор", "Гранит", "Полюс", "Сибирь", "Волга", "Урал", "Балтика", "Меридиан",
        "Горизонт", "Старт", "Прогресс", "Восток", "Кедр", "Радуга", "Орион", "Атлант", "Зенит",
        "Феникс", "Сокол" },
      { "Логистик", "Трейд", "Строй", "Пром", "Агро", "Мед", "Снаб", "Маркет", "Сервис",
        "Техно", "Энерго", "Пласт", "Фуд", "Текстиль", "Металл", "Групп" },
      { "ООО", "АО", "ООО", "ПАО", "ИП", "ООО" }, 20, 16, 6,
      { "Производство", "Розничная торговля", "Логистика", "Медицина", "Строительство", "ИТ",
        "Пищевая промышленность", "Энергетика", "Образование", "Гостиничный бизнес" },
      { "Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань",
        "Нижний Новгород", "Самара", "Краснодар" },
      { "Генеральный директор", "Финансовый директор", "Менеджер по закупкам", "Владелец",
        "Коммерческий директор", "Офис-менеджер" },
      { "Отправить КП", "Созвон", "Встреча", "Согласовать договор", "Выставить счёт" },
      "Сделка" },
    { "pl", "PLN", "USD", 4.5, "4.00", 0,
      { "Anna Kowalska", "Piotr Nowak", "Katarzyna Wiśniewska", "Tomasz Wójcik",
        "Magdalena Kamińska", "Paweł Lewandowski", "Agnieszka Zielińska", "Michał Szymański",
        "Joanna Dąbrowska", "Krzysztof Woźniak", "Ewa Kozłowska", "Łukasz Jankowski" },
      { "Polbud", "Mazowsze", "Wisła", "Bałtyk", "Tatry", "Orzeł", "Sokół", "Jantar", "Pomorze",
        "Śląsk", "Warta", "Odra", "Kujawy", "Podhale", "Mazury", "Sudety", "Roztocze", "Bieszczady",
        "Kaszuby", "Żuławy" },
      { "Logistyka", "Handel", "Budownictwo", "Meble", "Spożywcze", "Transport", "Systemy",
        "Energia", "Druk", "Stal", "Chemia", "Tekstylia", "Serwis", "Technika", "Agro", "Media" },
      { "Sp. z o.o.", "S.A.", "Sp.j.", "s.c.", "Sp. z o.o.", "Sp.k." }, 20, 16, 6,
      { "Produkcja", "Handel detaliczny", "Logistyka", "Ochrona zdrowia", "Budownictwo",
        "Oprogramowanie", "Spożywcza", "Energetyka", "Edukacja", "Hotelarstwo" },
      { "mazowieckie", "małopolskie", "śląskie", "wielkopolskie", "pomorskie", "dolnośląskie",
        "łódzkie", "podkarpackie" },
      { "Prezes", "Dyrektor finansowy", "Kierownik zakupów", "Właściciel", "Dyrektor handlowy",
        "Asystentka" },
      { "Wysłać ofertę", "Telefon kontrolny", "Spotkanie", "Negocjacje umowy", "Prezentacja" },
      "Umowa" },
    { "id", "IDR", "USD", 18000.0, "16000", 1,
      { "Budi Santoso", "Siti Rahmawati", "Agus Setiawan", "Dewi Lestari", "Andi Wijaya",
        "Rina Kurniawati", "Hendra Gunawan", "Putri Handayani", "Rizky Pratama", "Wulan Sari",
        "Yusuf Hidayat", "Maya Anggraini" },
      { "Maju", "Sinar", "Cahaya", "Mitra", "Karya", "Sumber", "Bumi", "Jaya", "Nusantara",
        "Sentosa", "Abadi", "Makmur", "Sejahtera", "Mandiri", "Prima", "Harapan", "Gemilang",
        "Lestari", "Mulia", "Indah" },
      { "Logistik", "Pangan", "Teknik", "Niaga", "Elektronik", "Farma", "Tekstil", "Konstruksi",
        "Kimia", "Perkasa", "Sarana", "Utama", "Energi", "Medika", "Grafika", "Agro" },
      { "PT", "CV", "PT", "UD", "PT", "Koperasi" }, 20, 16, 6,
      { "Manufaktur", "Ritel", "Logistik", "Kesehatan", "Konstruksi", "Perangkat Lunak",
        "Makanan & Minuman", "Energi", "Pendidikan", "Perhotelan" },
      { "DKI Jakarta", "Jawa Barat", "Jawa Timur", "Jawa Tengah", "Banten", "Bali",
        "Sumatera Utara", "Sulawesi Selatan" },
      { "Direktur Utama", "Direktur Keuangan", "Manajer Pembelian", "Pemilik", "Kepala Cabang",
        "Staf Admin" },
      { "Kirim penawaran", "Telepon tindak lanjut", "Pertemuan", "Negosiasi kontrak",
        "Presentasi produk" },
      "Proyek" },
};

/* ---------------------------------------------------------------- styles */

/* Row slots: every value a writer can put in a column. A style's column
 * table names the header and the slot that fills it. */
enum {
    S_NONE = 0,
    S_AID, S_ANAME, S_AOWNER, S_AIND, S_AREG, S_AEMP, S_AREV, S_ATITLE, S_AFIT, S_ATYPE,
    S_ANUM, S_ACREATED,
    S_TID, S_TREC, S_TACC, S_TACCNAME, S_TDATE, S_TAMT, S_TMARGIN, S_TCUR, S_TSTATUS,
    S_VID, S_VACC, S_VACCNAME, S_VDATE, S_VDATETIME, S_VTYPE, S_VOWNER, S_VOUT, S_VDUR,
    S_VSUBJ, S_VDONE,
    S_OID, S_OACC, S_OACCNAME, S_OCREATED, S_OSTATUS, S_OSTAGE, S_OAMT, S_OCUR, S_OPROB,
    S_OCLOSE, S_OEXPCLOSE, S_OCLOSED, S_OWON, S_ONEXTDATE, S_ONEXT, S_OOWNER, S_OTITLE,
    S_OFUNNEL, S_OTITLEC,
    S_N
};

typedef struct { const char *header; int slot; } col_t;

enum { F_ACC = 0, F_TXN, F_ACT, F_OPP, F_N };
static const char *FILE_NAMES[F_N] = { "accounts.csv", "transactions.csv", "activities.csv",
                                       "opportunities.csv" };

enum { ORD_YMD, ORD_MDY, ORD_DMY_DOT, ORD_DMY_SLASH };
enum { TM_NONE, TM_HM, TM_HMS };

typedef struct {
    const char *name, *preset, *lang;
    char delim;
    int quote_all, crlf, bom, cp1251;
    int order, zero_pad, dt_time;   /* date order, leading zeros, datetime suffix */
    char decimal, thousands;        /* thousands 0 = none */
    int money_sign;                 /* append " ₽" to deal budgets (amoCRM) */
    int won_as_txn;                 /* no invoices: transactions = @won */
    int key_by_name;                /* deals link accounts by name */
    const char *acts[5];            /* call email visit meeting other */
    const char *outs[4];            /* conversation appointment no-answer voicemail */
    const char *stages[5];          /* open pipeline stages */
    const char *won, *lost;
    const char *stat_open, *stat_won, *stat_lost; /* separate status column values */
    const col_t *cols[F_N];
    int ncols[F_N];
} style_t;

#define NC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const col_t CAN_A[] = { {"account_id", S_AID}, {"name", S_ANAME}, {"owner", S_AOWNER},
    {"industry", S_AIND}, {"region", S_AREG}, {"employees", S_AEMP},
    {"company_revenue", S_AREV}, {"contact_title", S_ATITLE}, {"fit", S_AFIT} };
static const col_t CAN_T[] = { {"transaction_id", S_TID}, {"account_id", S_TACC},
    {"date", S_TDATE}, {"amount", S_TAMT}, {"margin", S_TMARGIN}, {"currency", S_TCUR} };
static const col_t CAN_V[] = { {"account_id", S_VACC}, {"date", S_VDATE}, {"type", S_VTYPE},
    {"owner", S_VOWNER}, {"outcome", S_VOUT}, {"duration_min", S_VDUR} };
static const col_t CAN_O[] = { {"opportunity_id", S_OID}, {"account_id", S_OACC},
    {"created", S_OCREATED}, {"status", S_OSTATUS}, {"stage", S_OSTAGE}, {"amount", S_OAMT},
    {"currency", S_OCUR}, {"probability", S_OPROB}, {"close_date", S_OCLOSE},
    {"next_step_date", S_ONEXTDATE}, {"next_step", S_ONEXT}, {"owner", S_OOWNER},
    {"contact_title", S_OTITLEC} };

static const col_t SF_A[] = { {"Account ID", S_AID}, {"Account Name", S_ANAME},
    {"Account Owner", S_AOWNER}, {"Type", S_ATYPE}, {"Industry", S_AIND},
    {"Billing State/Province", S_AREG}, {"Employees", S_AEMP}, {"Annual Revenue", S_AREV} };
static const col_t SF_T[] = { {"Order Number", S_TID}, {"Account Name", S_TACCNAME},
    {"Account ID", S_TACC}, {"Order Start Date", S_TDATE}, {"Status", S_TSTATUS},
    {"Currency", S_TCUR}, {"Order Amount", S_TAMT} };
static const col_t SF_V[] = { {"Subject", S_VSUBJ}, {"Assigned", S_VOWNER},
    {"Company / Account", S_VACCNAME}, {"Account ID", S_VACC}, {"Date", S_VDATE},
    {"Type", S_VTYPE}, {"Call Result", S_VOUT}, {"Duration", S_VDUR} };
static const col_t SF_O[] = { {"Opportunity Owner", S_OOWNER}, {"Account Name", S_OACCNAME},
    {"Account ID", S_OACC}, {"Opportunity Name", S_OTITLE}, {"Opportunity ID", S_OID},
    {"Stage", S_OSTAGE}, {"Currency", S_OCUR}, {"Amount", S_OAMT},
    {"Probability (%)", S_OPROB}, {"Close Date", S_OCLOSE}, {"Created Date", S_OCREATED},
    {"Next Step", S_ONEXT}, {"Next Step Date", S_ONEXTDATE} };

static const col_t HS_A[] = { {"Record ID", S_AID}, {"Company name", S_ANAME},
    {"Company owner", S_AOWNER}, {"Industry", S_AIND}, {"Country/Region", S_AREG},
    {"Number of Employees", S_AEMP}, {"Annual Revenue", S_AREV}, {"Create Date", S_ACREATED} };
static const col_t HS_T[] = { {"Record ID", S_TREC}, {"Invoice number", S_TID},
    {"Invoice date", S_TDATE}, {"Amount billed", S_TAMT}, {"Currency", S_TCUR},
    {"Associated Company IDs", S_TACC} };
static const col_t HS_V[] = { {"Record ID", S_VID}, {"Activity date", S_VDATETIME},
    {"Activity type", S_VTYPE}, {"Activity assigned to", S_VOWNER}, {"Call outcome", S_VOUT},
    {"Duration (minutes)", S_VDUR}, {"Associated Company IDs", S_VACC} };
static const col_t HS_O[] = { {"Record ID", S_OID}, {"Deal Name", S_OTITLE},
    {"Deal Stage", S_OSTAGE}, {"Amount", S_OAMT}, {"Currency", S_OCUR},
    {"Close Date", S_OCLOSE}, {"Create Date", S_OCREATED}, {"Deal owner", S_OOWNER},
    {"Next step", S_ONEXT}, {"Next activity date", S_ONEXTDATE},
    {"Associated Company IDs", S_OACC} };

static const col_t PD_A[] = { {"Organization - ID", S_ANUM}, {"Organization - Name", S_ANAME},
    {"Organization - Owner", S_AOWNER}, {"Organization - Industry", S_AIND},
    {"Organization - Address - State/county of Address", S_AREG},
    {"Organization - Number of employees", S_AEMP},
    {"Organization - Annual revenue", S_AREV} };
static const col_t PD_V[] = { {"Activity - ID", S_VID}, {"Activity - Subject", S_VSUBJ},
    {"Activity - Type", S_VTYPE}, {"Activity - Due date", S_VDATE},
    {"Activity - Done", S_VDONE}, {"Activity - Assigned to user", S_VOWNER},
    {"Activity - Organization", S_VACC} };
static const col_t PD_O[] = { {"Deal - ID", S_OID}, {"Deal - Title", S_OTITLE},
    {"Deal - Organization", S_OACC}, {"Deal - Value", S_OAMT}, {"Deal - Currency", S_OCUR},
    {"Deal - Status", S_OSTATUS}, {"Deal - Stage", S_OSTAGE}, {"Deal - Owner", S_OOWNER},
    {"Deal - Probability", S_OPROB}, {"Deal - Deal created", S_OCREATED},
    {"Deal - Expected close date", S_OEXPCLOSE}, {"Deal - Deal closed on", S_OCLOSED},
    {"Deal - Won time", S_OWON}, {"Deal - Next activity subject", S_ONEXT},
    {"Deal - Next activity date", S_ONEXTDATE} };

static const col_t BX_A[] = { {"ID", S_ANUM}, {"Название компании", S_ANAME},
    {"Ответственный", S_AOWNER}, {"Сфера деятельности", S_AIND}, {"Регион", S_AREG},
    {"Кол-во сотрудников", S_AEMP}, {"Годовой оборот", S_AREV}, {"Дата создания", S_ACREATED} };
static const col_t BX_T[] = { {"ID", S_TID}, {"Компания", S_TACC},
    {"Дата выставления", S_TDATE}, {"Сумма", S_TAMT}, {"Валюта", S_TCUR},
    {"Статус", S_TSTATUS} };
static const col_t BX_V[] = { {"ID", S_VID}, {"Тип", S_VTYPE}, {"Тема", S_VSUBJ},
    {"Дата", S_VDATETIME}, {"Ответственный", S_VOWNER}, {"Компания", S_VACC},
    {"Результат", S_VOUT} };
static const col_t BX_O[] = { {"ID", S_OID}, {"Название сделки", S_OTITLE},
    {"Стадия сделки", S_OSTAGE}, {"Сумма", S_OAMT}, {"Валюта", S_OCUR},
    {"Вероятность", S_OPROB}, {"Ответственный", S_OOWNER}, {"Компания", S_OACC},
    {"Дата создания", S_OCREATED}, {"Предполагаемая дата закрытия", S_OCLOSE},
    {"Следующий шаг", S_ONEXT}, {"Дата следующего шага", S_ONEXTDATE} };

static const col_t AM_A[] = { {"ID", S_ANUM}, {"Название", S_ANAME},
    {"Ответственный", S_AOWNER}, {"Сфера деятельности", S_AIND}, {"Город", S_AREG},
    {"Кол-во сотрудников", S_AEMP} };
static const col_t AM_V[] = { {"ID", S_VID}, {"Тип задачи", S_VTYPE},
    {"Текст задачи", S_VSUBJ}, {"Дата исполнения", S_VDATE}, {"Ответственный", S_VOWNER},
    {"Компания", S_VACC}, {"Результат", S_VOUT} };
static const col_t AM_O[] = { {"ID", S_OID}, {"Название сделки", S_OTITLE},
    {"Бюджет", S_OAMT}, {"Ответственный", S_OOWNER}, {"Дата создания сделки", S_OCREATED},
    {"Дата закрытия", S_OCLOSE}, {"Этап сделки", S_OSTAGE}, {"Воронка", S_OFUNNEL},
    {"Компания", S_OACC} };

static const style_t STYLES[] = {
    { "canonical", NULL, "en", ',', 0, 0, 0, 0, ORD_YMD, 1, TM_NONE, '.', 0, 0, 0, 0,
      { "call", "email", "visit", "meeting", "note" },
      { "conversation", "appointment", "", "" },
      { "qualification", "qualification", "proposal", "negotiation", "negotiation" },
      "won", "lost", "open", "won", "lost",
      { CAN_A, CAN_T, CAN_V, CAN_O }, { NC(CAN_A), NC(CAN_T), NC(CAN_V), NC(CAN_O) } },
    { "salesforce", "salesforce", "en", ',', 1, 1, 0, 0, ORD_MDY, 0, TM_NONE, '.', ',', 0, 0, 0,
      { "Call", "Email", "Site Visit", "Meeting", "Other" },
      { "Connected", "Meeting Booked", "No Answer", "Left Voicemail" },
      { "Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote",
        "Negotiation/Review" },
      "Closed Won", "Closed Lost", NULL, NULL, NULL,
      { SF_A, SF_T, SF_V, SF_O }, { NC(SF_A), NC(SF_T), NC(SF_V), NC(SF_O) } },
    { "hubspot", "hubspot", "en", ',', 0, 0, 1, 0, ORD_YMD, 1, TM_HM, '.', 0, 0, 0, 0,
      { "Call", "Email", "In-person meeting", "Meeting", "Note" },
      { "Connected", "Meeting scheduled", "No answer", "Left voicemail" },
      { "appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
        "decisionmakerboughtin", "contractsent" },
      "closedwon", "closedlost", NULL, NULL, NULL,
      { HS_A, HS_T, HS_V, HS_O }, { NC(HS_A), NC(HS_T), NC(HS_V), NC(HS_O) } },
    { "pipedrive", "pipedrive", "en", ',', 0, 0, 0, 0, ORD_YMD, 1, TM_HMS, '.', 0, 0, 1, 1,
      { "Call", "Email", "Meeting", "Meeting", "Task" },
      { "", "", "", "" },
      { "Lead In", "Contact Made", "Needs Defined", "Proposal Made", "Negotiations Started" },
      NULL, NULL, "Open", "Won", "Lost",
      { PD_A, NULL, PD_V, PD_O }, { NC(PD_A), 0, NC(PD_V), NC(PD_O) } },
    { "bitrix24", "bitrix24", "ru", ';', 0, 1, 0, 1, ORD_DMY_DOT, 1, TM_HMS, ',', ' ', 0, 0, 1,
      { "Звонок", "Письмо", "Визит", "Встреча", "Задача" },
      { "Разговор состоялся", "Назначена встреча", "Не дозвонились", "Оставлено сообщение" },
      { "Новая", "Подготовка документов", "Счёт на предоплату", "В работе", "Финальный счёт" },
      "Сделка успешна", "Сделка провалена", NULL, NULL, NULL,
      { BX_A, BX_T, BX_V, BX_O }, { NC(BX_A), NC(BX_T), NC(BX_V), NC(BX_O) } },
    { "amocrm", "amocrm", "ru", ',', 0, 0, 1, 0, ORD_DMY_DOT, 1, TM_HM, ',', ' ', 1, 1, 1,
      { "Звонок", "Письмо", "Визит", "Встреча", "Связаться" },
      { "Разговор состоялся", "Назначена встреча", "Не дозвонились", "" },
      { "Первичный контакт", "Переговоры", "Принимают решение", "Согласование договора",
        "Согласование договора" },
      "Успешно реализовано", "Закрыто и не реализовано", NULL, NULL, NULL,
      { AM_A, NULL, AM_V, AM_O }, { NC(AM_A), 0, NC(AM_V), NC(AM_O) } },
};

/* ---------------------------------------------------------------- options */

typedef struct {
    const char *out;
    long accounts, transactions, activities, opportunities, bad;
    uint64_t seed;
    long as_of;
    const style_t *st;
    const lang_t *lg;
    int tx_ids; /* 0: the style's own, 1: random UUIDs, 2: 18-character Salesforce-style ids */
    long reps;  /* --reps: how many owners (0: the seed's 5..12, named from the language) */
} opts_t;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sfgen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void usage(FILE *f)
{
    fputs("usage: sfgen --out DIR [--accounts N] [--transactions N] [--activities N]\n"
          "             [--opportunities N] [--seed S] [--as-of YYYY-MM-DD]\n"
          "             [--style canonical|salesforce|hubspot|pipedrive|bitrix24|amocrm]\n"
          "             [--lang en|ru|pl|id] [--bad N] [--tx-ids style|uuid|sfid]\n"
          "             [--reps N]\n"
          "Writes accounts.csv, transactions.csv, activities.csv, opportunities.csv and\n"
          "config.ini into DIR in the chosen CRM's export dialect. Deterministic: the\n"
          "same arguments give the same bytes.\n", f);
}

static long parse_count(const char *opt, const char *v)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || n < 0)
        die("%s: not a non-negative integer: '%s'", opt, v);
    return n;
}

static long parse_date(const char *v)
{
    int y, m, d;
    char tail;
    if (sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        die("--as-of: not a date YYYY-MM-DD: '%s'", v);
    long z = days_from_civil(y, m, d);
    int y2, m2, d2;
    civil_from_days(z, &y2, &m2, &d2);
    if (y2 != y || m2 != m || d2 != d)
        die("--as-of: no such date: '%s'", v);
    return z;
}

static void parse_args(int argc, char **argv, opts_t *o)
{
    const char *style = "canonical", *lang = NULL;
    memset(o, 0, sizeof *o);
    o->accounts = 300; o->transactions = 5000; o->activities = 3000; o->opportunities = 200;
    o->seed = 1;
    o->as_of = days_from_civil(2025, 6, 30);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        }
        if (i + 1 >= argc)
            die("%s: missing value (see --help)", a);
        const char *v = argv[++i];
        if (!strcmp(a, "--out")) o->out = v;
        else if (!strcmp(a, "--accounts")) o->accounts = parse_count(a, v);
        else if (!strcmp(a, "--transactions")) o->transactions = parse_count(a, v);
        else if (!strcmp(a, "--activities")) o->activities = parse_count(a, v);
        else if (!strcmp(a, "--opportunities")) o->opportunities = parse_count(a, v);
        else if (!strcmp(a, "--bad")) o->bad = parse_count(a, v);
        else if (!strcmp(a, "--reps")) o->reps = parse_count(a, v);
        else if (!strcmp(a, "--seed")) o->seed = (uint64_t)parse_count(a, v);
        else if (!strcmp(a, "--as-of")) o->as_of = parse_date(v);
        else if (!strcmp(a, "--style")) style = v;
        else if (!strcmp(a, "--lang")) lang = v;
        else if (!strcmp(a, "--tx-ids")) {
            if (!strcmp(v, "style")) o->tx_ids = 0;
            else if (!strcmp(v, "uuid")) o->tx_ids = 1;
            else if (!strcmp(v, "sfid")) o->tx_ids = 2;
            else die("--tx-ids: style, uuid or sfid, not '%s'", v);
        }
        else die("unknown option '%s' (see --help)", a);
    }
    if (!o->out)
        die("--out DIR is required (see --help)");
    if (o->accounts < 1)
        die("--accounts must be at least 1");
    for (size_t k = 0; k < sizeof STYLES / sizeof STYLES[0]; k++)
        if (!strcmp(STYLES[k].name, style))
            o->st = &STYLES[k];
    if (!o->st)
        die("--style: unknown style '%s'", style);
    if (!lang)
        lang = o->st->lang;
    for (size_t k = 0; k < sizeof LANGS / sizeof LANGS[0]; k++)
        if (!strcmp(LANGS[k].code, lang))
            o->lg = &LANGS[k];
    if (!o->lg)
        die("--lang: unknown language '%s'", lang);
}

/* ---------------------------------------------------------------- output */

typedef struct {
    FILE *f;
    const style_t *st;
    char delim, decimal, thousands;
    int order, zero_pad;
    const char *path;
} out_t;

/* UTF-8 -> CP1251 for the characters a Russian export holds; anything else
 * becomes '?', as Windows' "best fit" would do. */
static int cp1251_byte(unsigned cp)
{
    if (cp < 0x80) return (int)cp;
    if (cp >= 0x410 && cp <= 0x44F) return (int)(cp - 0x410 + 0xC0);
    switch (cp) {
    case 0x401: return 0xA8; case 0x451: return 0xB8; case 0xAB: return 0xAB;
    case 0xBB: return 0xBB; case 0x2116: return 0xB9; case 0xA0: return 0xA0;
    case 0x2014: return 0x97; case 0x2013: return 0x96; case 0x2019: return 0x92;
    default: return '?';
    }
}

static void put_text(out_t *o, const char *s)
{
    if (!o->st->cp1251) {
        fputs(s, o->f);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp = *p;
        int len = 1;
        if (cp >= 0xF0) { cp &= 0x07; len = 4; }
        else if (cp >= 0xE0) { cp &= 0x0F; len = 3; }
        else if (cp >= 0xC0) { cp &= 0x1F; len = 2; }
        for (int k = 1; k < len && p[k]; k++)
            cp = (cp << 6) | (p[k] & 0x3F);
        putc(cp1251_byte(cp), o->f);
        for (int k = 0; k < len && *p; k++)
            p++;
    }
}

static void put_field(out_t *o, const char *s)
{
    int q = o->st->quote_all || s[0] == ' ';
    size_t n = 0;
    for (; s[n] && !q; n++)
        q = s[n] == o->delim || s[n] == '"' || s[n] == '\n' || s[n] == '\r';
    if (!q && n && s[n - 1] == ' ')
        q = 1;
    if (!q) {
        put_text(o, s);
        return;
    }
    putc('"', o->f);
    char buf[512];
    size_t k = 0;
    for (const char *p = s; *p && k < sizeof buf - 2; p++) {
        if (*p == '"')
            buf[k++] = '"';
        buf[k++] = *p;
    }
    buf[k] = 0;
    put_text(o, buf);
    putc('"', o->f);
}

static void put_eol(out_t *o) { fputs(o->st->crlf ? "\r\n" : "\n", o->f); }

/* Writes one record: the style's columns, filled from slot values. With
 * drop_last the last field is left out (a field_count fault). */
static void put_row(out_t *o, int file, char vals[S_N][160], int drop_last)
{
    int n = o->st->ncols[file] - (drop_last ? 1 : 0);
    for (int c = 0; c < n; c++) {
        if (c)
            putc(o->delim, o->f);
        put_field(o, vals[o->st->cols[file][c].slot]);
    }
    put_eol(o);
}

static void put_header(out_t *o, int file)
{
    if (o->st->bom)
        fputs("\xEF\xBB\xBF", o->f);
    for (int c = 0; c < o->st->ncols[file]; c++) {
        if (c)
            putc(o->delim, o->f);
        put_field(o, o->st->cols[file][c].header);
    }
    put_eol(o);
}

/* Salesforce report footer: blank lines, totals, confidentiality notice. */
static void put_footer(out_t *o, long records)
{
    if (strcmp(o->st->name, "salesforce"))
        return;
    char buf[64];
    put_eol(o);
    put_eol(o);
    snprintf(buf, sizeof buf, "Grand Totals (%ld records)", records);
    put_field(o, buf);
    put_eol(o);
    put_eol(o);
    put_field(o, "Confidential Information - Do Not Distribute");
    put_eol(o);
    put_eol(o);
    put_field(o, "Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved.");
    put_eol(o);
}

static void open_out(out_t *o, const opts_t *op, int file, const char *name)
{
    static char path[4][4096];
    snprintf(path[file], sizeof path[file], "%s/%s", op->out, name);
    o->path = path[file];
    o->f = fopen(o->path, "wb");
    if (!o->f)
        die("%s: %s", o->path, strerror(errno));
    setvbuf(o->f, NULL, _IOFBF, 1 << 20);
    o->st = op->st;
    o->delim = op->st->delim;
    o->decimal = op->st->decimal;
    o->thousands = op->st->thousands;
    o->order = op->st->order;
    o->zero_pad = op->st->zero_pad;
    /* A localised UI writes local number and date formats. */
    if (strcmp(op->lg->code, "en") && (op->st->decimal == '.')) {
        o->decimal = ',';
        o->thousands = strcmp(op->lg->code, "id") ? ' ' : '.';
        if (!strcmp(op->st->name, "pipedrive"))
            o->order = strcmp(op->lg->code, "id") ? ORD_DMY_DOT : ORD_DMY_SLASH;
    }
}

static void close_out(out_t *o)
{
    if (fflush(o->f) || ferror(o->f) || fclose(o->f))
        die("%s: write failed: %s", o->path, strerror(errno));
}

/* ---------------------------------------------------------------- formats */

/* Appends a 1-2 digit number (two digits when pad) at p; returns the end. */
static char *put2(char *p, int v, int pad)
{
    if (pad || v >= 10)
        *p++ = (char)('0' + v / 10);
    *p++ = (char)('0' + v % 10);
    return p;
}

static char *put4(char *p, int y)
{
    p[0] = (char)('0' + y / 1000 % 10); p[1] = (char)('0' + y / 100 % 10);
    p[2] = (char)('0' + y / 10 % 10); p[3] = (char)('0' + y % 10);
    return p + 4;
}

/* A date in the output's order; hand-rolled because it runs for every
 * one of ten million rows. n must be at least 11. */
static void fmt_ymd(const out_t *o, char *buf, size_t n, int y, int m, int d)
{
    char *p = buf;
    int z = o->zero_pad;
    (void)n;
    switch (o->order) {
    case ORD_MDY:
        p = put2(p, m, z); *p++ = '/'; p = put2(p, d, z); *p++ = '/'; p = put4(p, y); break;
    case ORD_DMY_DOT:
        p = put2(p, d, z); *p++ = '.'; p = put2(p, m, z); *p++ = '.'; p = put4(p, y); break;
    case ORD_DMY_SLASH:
        p = put2(p, d, z); *p++ = '/'; p = put2(p, m, z); *p++ = '/'; p = put4(p, y); break;
    default:
        p = put4(p, y); *p++ = '-'; p = put2(p, m, 1); *p++ = '-'; p = put2(p, d, 1); break;
    }
    *p = 0;
}

/* A date, or a date-time when with_time and the style writes times; the
 * time of day is drawn from r (business hours). */
static void fmt_date(const out_t *o, char *buf, size_t n, long day, int with_time, rng *r)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    fmt_ymd(o, buf, n, y, m, d);
    if (with_time && o->st->dt_time != TM_NONE) {
        size_t k = strlen(buf);
        int hh = 8 + (int)irand(r, 10), mi = (int)irand(r, 60), ss = (int)irand(r, 60);
        if (o->st->dt_time == TM_HM)
            snprintf(buf + k, n - k, " %02d:%02d", hh, mi);
        else
            snprintf(buf + k, n - k, " %02d:%02d:%02d", hh, mi, ss);
    }
}

/* Money in cents in the output's number format; whole drops the minor
 * units (IDR, annual revenue figures). */
static void fmt_money(const out_t *o, char *buf, size_t n, long long cents, int whole)
{
    char digits[32], tmp[64];
    int neg = cents < 0;
    unsigned long long a = (unsigned long long)(neg ? -cents : cents);
    if (whole)
        a = (a + 50) / 100;
    unsigned long long iv = whole ? a : a / 100;
    size_t len = 0;
    do {
        digits[len++] = (char)('0' + iv % 10);
        iv /= 10;
    } while (iv);
    for (size_t i = 0; i < len / 2; i++) {
        char c = digits[i];
        digits[i] = digits[len - 1 - i];
        digits[len - 1 - i] = c;
    }
    digits[len] = 0;
    size_t k = 0;
    if (neg)
        tmp[k++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i && o->thousands && (len - i) % 3 == 0)
            tmp[k++] = o->thousands;
        tmp[k++] = digits[i];
    }
    if (!whole) {
        tmp[k++] = o->decimal;
        tmp[k++] = (char)('0' + a % 100 / 10);
        tmp[k++] = (char)('0' + a % 10);
    }
    tmp[k] = 0;
    if (k >= n)
        k = n - 1;
    memcpy(buf, tmp, k + 1);
    buf[k] = 0;
}

/* ---------------------------------------------------------------- the book */

enum { K_BUYER, K_PROSPECT };

typedef struct {
    char id[96];
    char name[96];
    int owner;        /* rep index, -1 unassigned */
    int kind;
    long start, end;  /* buying period (days) */
    int declining;
    double size;      /* Pareto size: revenue scale */
    double amt_base;  /* typical invoice size */
} acct_t;

typedef struct {
    const opts_t *op;
    acct_t *acc;
    long n;
    int nreps;
    double *repw;     /* --reps: cumulative owner weights (1/(k+2)), searched by halves */
    char (*repname)[40]; /* --reps: the owners' names */
    long hist_start;
    double *w[3];     /* cumulative pick weights: transactions, activities, deals */
    double total[3];
} book_t;

enum { W_TX, W_AC, W_OP };

static const double SEASON[12] = { 0.70, 0.80, 1.00, 0.95, 1.00, 0.95, 0.75, 0.65, 1.00,
                                   1.05, 1.10, 1.25 };

/* An account index drawn with the cumulative weights w[which] (dense
 * arrays keep the binary search in cache). */
static long pick_weighted(const book_t *b, int which, rng *r)
{
    double x = urand(r) * b->total[which];
    const double *cw = b->w[which];
    long lo = 0, hi = b->n - 1;
    while (lo < hi) {
        long mid = (lo + hi) / 2;
        double w = cw[mid];
        if (w > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Company name i: a bijection over the name space keeps names unique (the
 * name is the key in Pipedrive, Bitrix24 and amoCRM exports); past the
 * space a number is appended, as real duplicates get. */
static void make_name(const lang_t *lg, long i, char *buf, size_t n)
{
    long space = (long)lg->nroots * lg->nseconds;
    long j = (i % space) * 37 % space; /* 37 is coprime to 320 */
    const char *root = lg->roots[j % lg->nroots];
    const char *second = lg->seconds[j / lg->nroots];
    const char *form = lg->forms[(i * 7 + j) % lg->nforms];
    char base[80];
    if (!strcmp(lg->code, "ru")) {
        if (i % 5 == 0)
            snprintf(base, sizeof base, "%s \"%s%s\"", form, root, second);
        else
            snprintf(base, sizeof base, "%s «%s%s»", form, root, second);
    } else if (!strcmp(lg->code, "id")) {
        snprintf(base, sizeof base, "%s %s %s", form, root, second);
    } else {
        snprintf(base, sizeof base, "%s %s %s", root, second, form);
    }
    if (i >= space)
        fmt_into(buf, n, "%s %ld", base, i / space + 1);
    else
        snprintf(buf, n, "%s", base);
}

/* Transaction i's id with --tx-ids: random, from its own stream (the
 * other columns stay as without the option). */
static void random_id(const opts_t *op, long i, char *buf)
{
    static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    uint64_t x = op->seed * 0x9E3779B97F4A7C15ULL ^ (uint64_t)i;
    uint64_t a = splitmix64(&x), b = splitmix64(&x);
    if (op->tx_ids == 1) {
        snprintf(buf, 160, "%08llx-%04llx-4%03llx-%c%03llx-%012llx", (unsigned long long)(a >> 32),
                 (unsigned long long)(a & 0xffff), (unsigned long long)(b >> 52), "89ab"[(b >> 50) & 3],
                 (unsigned long long)((b >> 38) & 0xfff), (unsigned long long)(b & 0xffffffffffffULL));
        return;
    }
    memcpy(buf, "a0X5g", 5); /* key prefix and pod, then 10 random characters and a checksum */
    for (int k = 5; k < 15; k++, a /= 62)
        buf[k] = b62[a % 62];
    for (int k = 15; k < 18; k++, b /= 32)
        buf[k] = b62[10 + b % 26];
    buf[18] = '\0';
}

static void make_id(const style_t *st, int file, long i, char *buf, size_t n)
{
    static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    if (!strcmp(st->name, "salesforce")) {
        const char *pre = file == F_ACC ? "001" : "006";
        char t[6];
        long v = i;
        for (int k = 4; k >= 0; k--) {
            t[k] = b62[v % 62];
            v /= 62;
        }
        t[5] = 0;
        snprintf(buf, n, "%s5g00000%sAAQ", pre, t);
    } else if (!strcmp(st->name, "hubspot")) {
        snprintf(buf, n, "%ld", (file == F_ACC ? 5200000000L : 9100000000L) + i * 7 + 3);
    } else if (!strcmp(st->name, "canonical")) {
        snprintf(buf, n, file == F_ACC ? "C%06ld" : "O%06ld", i + 1);
    } else {
        snprintf(buf, n, "%ld", (file == F_ACC ? 100 : 1000) + i * 2 + 1);
    }
}

static void build_book(book_t *b, const opts_t *op)
{
    rng r;
    rng_seed(&r, op->seed, 1);
    b->op = op;
    b->repw = NULL;
    b->repname = NULL;
    b->n = op->accounts;
    b->acc = calloc((size_t)b->n, sizeof *b->acc);
    for (int k = 0; k < 3; k++)
        b->w[k] = malloc((size_t)b->n * sizeof(double));
    if (!b->acc || !b->w[0] || !b->w[1] || !b->w[2])
        die("out of memory for %ld accounts", b->n);
    b->nreps = 5 + (int)irand(&r, 8);
    if (op->reps > 0) {
        /* many owners (review packs at scale): the same unequal books, the
         * weights summed once; names from the language's reps, numbered */
        if (op->reps > 1000000)
            die("--reps: at most 1000000");
        b->nreps = (int)op->reps;
        b->repw = malloc((size_t)b->nreps * sizeof *b->repw);
        b->repname = malloc((size_t)b->nreps * sizeof *b->repname);
        if (!b->repw || !b->repname)
            die("out of memory for %d reps", b->nreps);
        double cum = 0;
        for (int k = 0; k < b->nreps; k++) {
            cum += 1.0 / (k + 2);
            b->repw[k] = cum;
            snprintf(b->repname[k], sizeof b->repname[k], "%s %d", op->lg->reps[k % 12], k / 12 + 1);
        }
    }
    b->hist_start = op->as_of - 3 * 365;
    double tx = 0, ac = 0, opw = 0;
    for (long i = 0; i < b->n; i++) {
        acct_t *a = &b->acc[i];
        make_id(op->st, F_ACC, i, a->id, sizeof a->id);
        make_name(op->lg, i, a->name, sizeof a->name);
        if (op->st->key_by_name)
            snprintf(a->id, sizeof a->id, "%s", a->name);
        /* Reps own unequal books: rep k gets weight 1/(k+2). */
        if (chance(&r, 0.03)) {
            a->owner = -1;
        } else if (b->repw) {
            double x = urand(&r) * b->repw[b->nreps - 1];
            int lo = 0, hi = b->nreps - 1;
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (x < b->repw[mid])
                    hi = mid;
                else
                    lo = mid + 1;
            }
            a->owner = lo;
        } else {
            double tot = 0, x;
            for (int k = 0; k < b->nreps; k++)
                tot += 1.0 / (k + 2);
            x = urand(&r) * tot;
            a->owner = b->nreps - 1;
            for (int k = 0; k < b->nreps; k++) {
                x -= 1.0 / (k + 2);
                if (x < 0) {
                    a->owner = k;
                    break;
                }
            }
        }
        a->kind = chance(&r, 0.30) ? K_PROSPECT : K_BUYER;
        /* Pareto(alpha 1.16, the 80/20 shape), capped so one client cannot
         * swallow a small sample. */
        a->size = pow(1.0 - urand(&r), -1.0 / 1.16);
        if (a->size > 300)
            a->size = 300;
        if (a->kind == K_BUYER) {
            double u = urand(&r);
            if (u < 0.65)
                a->start = b->hist_start - (long)irand(&r, 2000);
            else
                a->start = b->hist_start + (long)irand(&r, (uint64_t)(op->as_of - b->hist_start - 20));
            a->end = op->as_of;
            if (chance(&r, 0.12)) /* churned: stopped buying */
                a->end = op->as_of - 30 - (long)irand(&r, 600);
            if (a->end < a->start + 20)
                a->end = a->start + 20;
            a->declining = chance(&r, 0.14);
            long from = a->start > b->hist_start ? a->start : b->hist_start;
            double active = (double)(a->end - from);
            if (active < 1)
                active = 1;
            tx += pow(a->size, 0.6) * active;
            ac += pow(a->size, 0.5) * 3.0;
            opw += pow(a->size, 0.5) * 1.5;
        } else {
            ac += 1.0;
            opw += 1.0;
        }
        a->amt_base = 350.0 * pow(a->size, 0.4) * op->lg->scale;
        b->w[W_TX][i] = tx;
        b->w[W_AC][i] = ac;
        b->w[W_OP][i] = opw;
    }
    b->total[W_TX] = tx;
    b->total[W_AC] = ac;
    b->total[W_OP] = opw;
}

static const char *owner_name(const book_t *b, int k)
{
    return k < 0 ? "" : b->repname ? b->repname[k] : b->op->lg->reps[k];
}

/* ---------------------------------------------------------------- bad rows */

enum { B_DATE, B_NUMBER, B_ACCOUNT, B_DUP, B_COUNT, B_CURRENCY, B_OPTIONAL, B_MISSING, B_N };

typedef struct { long pos; int kind; } bad_t;

typedef struct { bad_t *v; long n, next; } badlist_t;

static int cmp_bad(const void *x, const void *y)
{
    const bad_t *a = x, *b = y;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

static int has_slot(const style_t *st, int file, int slot)
{
    for (int c = 0; c < st->ncols[file]; c++)
        if (st->cols[file][c].slot == slot)
            return 1;
    return 0;
}

/* Spreads op->bad faults over the files that exist, in proportion to their
 * size (at least one row each way), each at a random row position. */
static void plan_bad(const opts_t *op, badlist_t bl[F_N])
{
    rng r;
    rng_seed(&r, op->seed, 9);
    long size[F_N] = { op->accounts,
                       op->st->won_as_txn ? 0 : op->transactions,
                       op->activities, op->opportunities };
    static const int kinds[F_N][6] = {
        { B_COUNT, B_DUP, B_OPTIONAL, B_MISSING, B_OPTIONAL, B_COUNT },
        { B_DATE, B_NUMBER, B_ACCOUNT, B_DUP, B_COUNT, B_CURRENCY },
        { B_DATE, B_ACCOUNT, B_COUNT, B_OPTIONAL, B_DATE, B_ACCOUNT },
        { B_DATE, B_DUP, B_ACCOUNT, B_COUNT, B_OPTIONAL, B_NUMBER },
    };
    long total = 0;
    for (int f = 0; f < F_N; f++) {
        bl[f].v = NULL;
        bl[f].n = bl[f].next = 0;
        total += size[f];
    }
    if (!total)
        return;
    for (long k = 0; k < op->bad; k++) {
        /* Rotate through the files first so a small --bad still touches
         * each, then by size. */
        int f = -1;
        if (k < F_N) {
            for (int t = 0; t < F_N; t++) {
                int c = (int)((k + t) % F_N);
                if (size[c] > 1) { f = c; break; }
            }
        } else {
            long x = (long)irand(&r, (uint64_t)total);
            for (int c = 0; c < F_N; c++) {
                if (x < size[c]) { f = c; break; }
                x -= size[c];
            }
        }
        if (f < 0 || size[f] < 2)
            continue;
        bad_t *nv = realloc(bl[f].v, (size_t)(bl[f].n + 1) * sizeof *nv);
        if (!nv)
            die("out of memory");
        bl[f].v = nv;
        int kind = kinds[f][irand(&r, 6)];
        if (kind == B_OPTIONAL && f == F_ACT && !has_slot(op->st, f, S_VDUR))
            kind = B_DATE;
        if (kind == B_OPTIONAL && f == F_OPP && !has_slot(op->st, f, S_OPROB))
            kind = B_DATE;
        nv[bl[f].n].pos = 1 + (long)irand(&r, (uint64_t)(size[f] - 1));
        nv[bl[f].n].kind = kind;
        bl[f].n++;
    }
    for (int f = 0; f < F_N; f++)
        if (bl[f].n)
            qsort(bl[f].v, (size_t)bl[f].n, sizeof *bl[f].v, cmp_bad);
}

/* Kinds of faults due before data row `pos` of a file, in order; -1 when
 * none is left. */
static int next_bad(badlist_t *bl, long pos)
{
    if (bl->next < bl->n && bl->v[bl->next].pos == pos)
        return bl->v[bl->next++].kind;
    return -1;
}

/* A date that does not exist (30 February), in the output's format. */
static void bad_date(const out_t *o, char *buf, size_t n, long near)
{
    int y, m, d;
    civil_from_days(near, &y, &m, &d);
    fmt_ymd(o, buf, n, y, 2, 30);
}

/* ---------------------------------------------------------------- writers */

static long g_rows[F_N];

static void write_accounts(const book_t *b, badlist_t *bl)
{
    const opts_t *op = b->op;
    out_t o;
    rng r;
    rng_seed(&r, op->seed, 2);
    open_out(&o, op, F_ACC, FILE_NAMES[F_ACC]);
    put_header(&o, F_ACC);
    static char v[S_N][160];
    long rows = 0;
    for (long i = 0; i < b->n; i++) {
        const acct_t *a = &b->acc[i];
        memset(v, 0, sizeof v);
        snprintf(v[S_AID], 160, "%s", a->id);
        snprintf(v[S_ANAME], 160, "%s", a->name);
        snprintf(v[S_ANUM], 160, "%ld", 100 + i * 2 + 1);
        snprintf(v[S_AOWNER], 160, "%s", owner_name(b, a->owner));
        /* Industry and size drift with the client's size so that the
         * lookalike benchmark finds real peers. */
        int ind = (int)((a->size > 8 ? irand(&r, 3) : irand(&r, 10)));
        if (!chance(&r, 0.05))
            snprintf(v[S_AIND], 160, "%s", op->lg->industries[ind]);
        if (!chance(&r, 0.04))
            snprintf(v[S_AREG], 160, "%s", op->lg->regions[irand(&r, 8)]);
        long emp = (long)(exp(2.3 + 0.45 * log(a->size) + 0.9 * nrand(&r)));
        if (emp < 1)
            emp = 1;
        if (!chance(&r, 0.08))
            snprintf(v[S_AEMP], 160, "%ld", emp);
        if (!chance(&r, 0.15))
            fmt_money(&o, v[S_AREV], 160,
                      (long long)(emp * 90000.0 * op->lg->scale * (0.5 + urand(&r))) * 100, 1);
        snprintf(v[S_ATITLE], 160, "%s", op->lg->titles[irand(&r, 6)]);
        static const char *fits[] = { "good", "average", "average", "poor" };
        snprintf(v[S_AFIT], 160, "%s", fits[irand(&r, 4)]);
        snprintf(v[S_ATYPE], 160, "%s", a->kind == K_BUYER ? "Customer" : "Prospect");
        fmt_date(&o, v[S_ACREATED], 160, (a->kind == K_BUYER ? a->start : op->as_of - 400) -
                 (long)irand(&r, 60), 1, &r);
        int bad, replaced = 0;
        while ((bad = next_bad(bl, i)) >= 0) {
            static char w[S_N][160];
            memcpy(w, v, sizeof w);
            if (bad == B_DUP) {
                snprintf(w[S_ANAME], 160, "%s", b->acc[i - 1].name);
                snprintf(w[S_AID], 160, "%s", b->acc[i - 1].id);
            } else if (bad == B_OPTIONAL) {
                fmt_into(w[S_AEMP], 160, "%sa", v[S_AEMP][0] ? v[S_AEMP] : "12");
                replaced = 1; /* the record stays: it stands in for the good one */
            } else if (bad == B_MISSING) {
                w[S_ANAME][0] = 0;
                if (op->st->key_by_name)
                    w[S_AID][0] = 0;
                else
                    snprintf(w[S_AID], 160, "%sX", a->id);
            }
            put_row(&o, F_ACC, w, bad == B_COUNT);
            rows++;
        }
        if (!replaced) {
            put_row(&o, F_ACC, v, 0);
            rows++;
        }
    }
    put_footer(&o, rows);
    close_out(&o);
    g_rows[F_ACC] = rows;
}

/* A transaction day for account a: uniform over its buying period within
 * the history, thinned by season, weekends and decline. */
static long txn_day(const book_t *b, const acct_t *a, rng *r)
{
    long from = a->start > b->hist_start ? a->start : b->hist_start;
    long span = a->end - from + 1;
    long day = from;
    for (int t = 0; t < 12; t++) {
        day = from + (long)irand(r, (uint64_t)(span > 0 ? span : 1));
        int y, m, d;
        civil_from_days(day, &y, &m, &d);
        double p = SEASON[m - 1] / 1.25;
        if (weekday(day) >= 5)
            p *= 0.1;
        if (a->declining && day > b->op->as_of - 200)
            p *= 0.35;
        if (urand(r) < p)
            break;
    }
    return day;
}

typedef struct { long acc, day; long long cents; const char *cur; } txn_t;

static void gen_txn(const book_t *b, rng *r, txn_t *t)
{
    const opts_t *op = b->op;
    t->acc = pick_weighted(b, W_TX, r);
    const acct_t *a = &b->acc[t->acc];
    t->day = txn_day(b, a, r);
    if (chance(r, 0.001))
        t->day = op->as_of + 1 + (long)irand(r, 30); /* booked ahead */
    double amt = a->amt_base * exp(0.6 * nrand(r));
    if (chance(r, 0.03))
        amt = -amt * (0.1 + 0.9 * urand(r)); /* credit note */
    t->cents = (long long)llround(amt * 100.0);
    if (op->lg->whole_money)
        t->cents = t->cents / 100 * 100;
    t->cur = op->lg->currency;
    if (chance(r, 0.01)) {
        t->cur = op->lg->foreign;
        t->cents = (long long)llround(amt * 100.0 / atof(op->lg->usd_rate));
    }
}

static void write_transactions(const book_t *b, badlist_t *bl)
{
    const opts_t *op = b->op;
    out_t o;
    rng r;
    rng_seed(&r, op->seed, 3);
    open_out(&o, op, F_TXN, FILE_NAMES[F_TXN]);
    put_header(&o, F_TXN);
    static char v[S_N][160];
    char prev_id[40] = "";
    long rows = 0;
    for (long i = 0; i < op->transactions; i++) {
        txn_t t;
        gen_txn(b, &r, &t);
        const acct_t *a = &b->acc[t.acc];
        memset(v[S_TID], 0, 160 * (S_TSTATUS - S_TID + 1));
        if (op->tx_ids)
            random_id(op, i, v[S_TID]);
        else if (!strcmp(op->st->name, "salesforce"))
            snprintf(v[S_TID], 160, "%08ld", 100 + i);
        else if (!strcmp(op->st->name, "bitrix24"))
            snprintf(v[S_TID], 160, "%ld", 5000 + i);
        else
            snprintf(v[S_TID], 160, "INV-%07ld", i + 1);
        snprintf(v[S_TREC], 160, "%ld", 40000000000L + i * 3);
        snprintf(v[S_TACC], 160, "%s", a->id);
        snprintf(v[S_TACCNAME], 160, "%s", a->name);
        fmt_date(&o, v[S_TDATE], 160, t.day, 0, &r);
        fmt_money(&o, v[S_TAMT], 160, t.cents, op->lg->whole_money);
        fmt_money(&o, v[S_TMARGIN], 160, t.cents * (15 + (long long)irand(&r, 30)) / 100,
                  op->lg->whole_money);
        snprintf(v[S_TCUR], 160, "%s", t.cur);
        snprintf(v[S_TSTATUS], 160, "%s", !strcmp(op->lg->code, "ru") ? "Оплачен" : "Activated");
        int bad;
        while ((bad = next_bad(bl, i)) >= 0) {
            static char w[S_N][160];
            memcpy(w, v, sizeof w);
            switch (bad) {
            case B_DATE: bad_date(&o, w[S_TDATE], 160, t.day); break;
            case B_NUMBER: snprintf(w[S_TAMT], 160, "12O%c50", o.decimal); break;
            case B_ACCOUNT: snprintf(w[S_TACC], 160, "%s", op->st->key_by_name ?
                                     "Unknown Client" : "999999999"); break;
            case B_DUP: snprintf(w[S_TID], 160, "%s", prev_id); break;
            case B_CURRENCY: snprintf(w[S_TCUR], 160, "XYZ"); break;
            default: break;
            }
            put_row(&o, F_TXN, w, bad == B_COUNT);
            rows++;
        }
        put_row(&o, F_TXN, v, 0);
        rows++;
        snprintf(prev_id, sizeof prev_id, "%.39s", v[S_TID]);
    }
    put_footer(&o, rows);
    close_out(&o);
    g_rows[F_TXN] = rows;
}

static void write_activities(const book_t *b, badlist_t *bl)
{
    const opts_t *op = b->op;
    const style_t *st = op->st;
    out_t o;
    rng r;
    rng_seed(&r, op->seed, 4);
    open_out(&o, op, F_ACT, FILE_NAMES[F_ACT]);
    put_header(&o, F_ACT);
    static char v[S_N][160];
    static const char *subj_en[] = { "Call", "Email", "Visit", "Meeting", "Note" };
    static const char *subj_ru[] = { "Звонок клиенту", "Письмо клиенту", "Выезд к клиенту",
                                     "Встреча", "Задача" };
    long rows = 0;
    for (long i = 0; i < op->activities; i++) {
        long ai = pick_weighted(b, W_AC, &r);
        const acct_t *a = &b->acc[ai];
        /* Recent work dominates: day = T - 730 * u^1.6. */
        long day = op->as_of - (long)(730.0 * pow(urand(&r), 1.6));
        if (weekday(day) >= 5)
            day -= weekday(day) - 4;
        double u = urand(&r);
        int type = u < 0.55 ? 0 : u < 0.80 ? 1 : u < 0.88 ? 2 : u < 0.97 ? 3 : 4;
        if (a->kind == K_PROSPECT && type == 2)
            type = 0;
        int own = a->owner;
        if (own < 0 || chance(&r, 0.08))
            own = chance(&r, 0.02) ? -1 : (int)irand(&r, (uint64_t)b->nreps);
        memset(v[S_VID], 0, 160 * (S_VDONE - S_VID + 1));
        snprintf(v[S_VID], 160, "%ld", 70000 + i);
        snprintf(v[S_VACC], 160, "%s", a->id);
        snprintf(v[S_VACCNAME], 160, "%s", a->name);
        fmt_date(&o, v[S_VDATE], 160, day, 0, &r);
        fmt_date(&o, v[S_VDATETIME], 160, day, 1, &r);
        snprintf(v[S_VTYPE], 160, "%s", st->acts[type]);
        snprintf(v[S_VOWNER], 160, "%s", owner_name(b, own));
        if (type == 0) {
            /* Calls: about a third reach someone; one reached call in ten
             * books a meeting (inside the 4-18 % band). */
            double x = urand(&r);
            const char *out = x < 0.03 ? st->outs[1] : x < 0.33 ? st->outs[0] :
                              x < 0.75 ? st->outs[2] : st->outs[3];
            snprintf(v[S_VOUT], 160, "%s", out);
        } else if (type == 3 && chance(&r, 0.3)) {
            snprintf(v[S_VOUT], 160, "%s", st->outs[1]);
        }
        static const int dmin[5] = { 2, 1, 45, 30, 5 }, dspan[5] = { 25, 10, 120, 60, 20 };
        if (!chance(&r, 0.12))
            snprintf(v[S_VDUR], 160, "%d", dmin[type] + (int)irand(&r, (uint64_t)dspan[type]));
        snprintf(v[S_VSUBJ], 160, "%s", st->cp1251 || !strcmp(st->name, "amocrm") ?
                 subj_ru[type] : subj_en[type]);
        snprintf(v[S_VDONE], 160, "%s", day <= op->as_of ? "Done" : "Undone");
        int bad, replaced = 0;
        while ((bad = next_bad(bl, i)) >= 0) {
            static char w[S_N][160];
            memcpy(w, v, sizeof w);
            if (bad == B_DATE) {
                bad_date(&o, w[S_VDATE], 160, day);
                bad_date(&o, w[S_VDATETIME], 160, day);
            } else if (bad == B_ACCOUNT) {
                snprintf(w[S_VACC], 160, "%s", op->st->key_by_name ? "Unknown Client" :
                         "999999999");
            } else if (bad == B_OPTIONAL) {
                snprintf(w[S_VDUR], 160, "abc");
                replaced = 1;
            }
            put_row(&o, F_ACT, w, bad == B_COUNT);
            rows++;
        }
        /* A bad optional field keeps its record: it stands in for the good one. */
        if (!replaced) {
            put_row(&o, F_ACT, v, 0);
            rows++;
        }
    }
    put_footer(&o, rows);
    close_out(&o);
    g_rows[F_ACT] = rows;
}

/* Fills the slots of one deal. status 0 open, 1 won, 2 lost. */
static void deal_slots(const book_t *b, out_t *o, rng *r, char v[S_N][160], long seq,
                       const acct_t *a, long created, int status, long close, long long cents,
                       const char *cur)
{
    const opts_t *op = b->op;
    const style_t *st = op->st;
    memset(v[S_OID], 0, 160 * (S_OTITLEC - S_OID + 1));
    make_id(st, F_OPP, seq, v[S_OID], 160);
    snprintf(v[S_OACC], 160, "%s", a->id);
    snprintf(v[S_OACCNAME], 160, "%s", a->name);
    fmt_date(o, v[S_OCREATED], 160, created, 1, r);
    int stage = (int)irand(r, 5);
    static const int prob[5] = { 10, 20, 40, 60, 80 };
    const char *stname = st->stages[stage];
    if (status == 1 && st->won)
        stname = st->won;
    if (status == 2 && st->lost)
        stname = st->lost;
    /* HubSpot exports sometimes carry labels instead of internal values. */
    if (!strcmp(st->name, "hubspot") && status && chance(r, 0.3))
        stname = status == 1 ? "Closed won" : "Closed lost";
    snprintf(v[S_OSTAGE], 160, "%s", stname);
    const char *stat = status == 0 ? st->stat_open : status == 1 ? st->stat_won : st->stat_lost;
    snprintf(v[S_OSTATUS], 160, "%s", stat ? stat : "");
    if (cents != 0 || status == 1) {
        fmt_money(o, v[S_OAMT], 160, cents, op->lg->whole_money || st->money_sign);
        if (st->money_sign) {
            size_t k = strlen(v[S_OAMT]);
            snprintf(v[S_OAMT] + k, 160 - k, " ₽");
        }
    }
    snprintf(v[S_OCUR], 160, "%s", cur);
    snprintf(v[S_OPROB], 160, "%d", status == 1 ? 100 : status == 2 ? 0 : prob[stage]);
    if (status) {
        fmt_date(o, v[S_OCLOSE], 160, close, 0, r);
        fmt_date(o, v[S_OCLOSED], 160, close, 1, r);
        if (status == 1)
            fmt_date(o, v[S_OWON], 160, close, 1, r);
    } else {
        fmt_date(o, v[S_OCLOSE], 160, close, 0, r);
    }
    fmt_date(o, v[S_OEXPCLOSE], 160, close, 0, r);
    snprintf(v[S_OOWNER], 160, "%s", owner_name(b, a->owner));
    snprintf(v[S_OTITLE], 160, "%s %s #%ld", op->lg->deal_word, a->name, seq + 1);
    snprintf(v[S_OFUNNEL], 160, "%s", "Воронка");
    snprintf(v[S_OTITLEC], 160, "%s", chance(r, 0.5) ? op->lg->titles[irand(r, 6)] : "");
    if (status == 0) {
        /* Next steps: a quarter missing, a fifth overdue, some too far. */
        double x = urand(r);
        long nd = 0;
        if (x < 0.25)
            nd = -1;
        else if (x < 0.45)
            nd = op->as_of - 1 - (long)irand(r, 30);
        else if (x < 0.90)
            nd = op->as_of + (long)irand(r, 30);
        else
            nd = op->as_of + 100 + (long)irand(r, 120);
        if (nd >= 0) {
            fmt_date(o, v[S_ONEXTDATE], 160, nd, 0, r);
            snprintf(v[S_ONEXT], 160, "%s", op->lg->next_steps[irand(r, 5)]);
        }
    }
}

static void write_opportunities(const book_t *b, badlist_t *bl)
{
    const opts_t *op = b->op;
    out_t o;
    rng r, rt;
    rng_seed(&r, op->seed, 5);
    rng_seed(&rt, op->seed, 3);
    open_out(&o, op, F_OPP, FILE_NAMES[F_OPP]);
    put_header(&o, F_OPP);
    static char v[S_N][160];
    char prev_id[40] = "";
    long rows = 0;
    for (long i = 0; i < op->opportunities; i++) {
        long ai = pick_weighted(b, W_OP, &r);
        const acct_t *a = &b->acc[ai];
        long created = op->as_of - (long)(700.0 * pow(urand(&r), 1.3));
        long cycle = 10 + (long)(45.0 * exp(0.5 * nrand(&r)));
        int status;
        double x = urand(&r);
        if (created + cycle > op->as_of)
            status = x < 0.85 ? 0 : x < 0.93 ? 2 : 1;
        else if (op->as_of - created < 240)
            status = x < 0.35 ? 0 : x < 0.70 ? 2 : 1;
        else
            status = x < 0.12 ? 0 : x < 0.65 ? 2 : 1;
        if (a->kind == K_PROSPECT && status == 1)
            status = 0;
        long close = created + cycle;
        if (status && close > op->as_of)
            close = op->as_of - (long)irand(&r, 5);
        if (status == 0 && close <= op->as_of)
            close = op->as_of + 5 + (long)irand(&r, 60);
        long long cents = (long long)llround(2500.0 * pow(a->size, 0.4) *
                                             exp(0.7 * nrand(&r)) * op->lg->scale) * 100;
        if (chance(&r, 0.05) && status != 1)
            cents = 0; /* amount not filled in yet */
        deal_slots(b, &o, &r, v, i, a, created, status, close, cents, op->lg->currency);
        int bad, replaced = 0;
        while ((bad = next_bad(bl, i)) >= 0) {
            static char w[S_N][160];
            memcpy(w, v, sizeof w);
            switch (bad) {
            case B_DATE: bad_date(&o, w[S_OCREATED], 160, created); break;
            case B_DUP: snprintf(w[S_OID], 160, "%s", prev_id); break;
            case B_ACCOUNT: snprintf(w[S_OACC], 160, "%s", op->st->key_by_name ?
                                     "Unknown Client" : "999999999"); break;
            case B_OPTIONAL: snprintf(w[S_OPROB], 160, "high"); replaced = 1; break;
            case B_NUMBER: snprintf(w[S_OAMT], 160, "1O0%c00", o.decimal); replaced = 1; break;
            default: break;
            }
            put_row(&o, F_OPP, w, bad == B_COUNT);
            rows++;
        }
        /* Amount and probability are optional: such a record is kept, so it
         * replaces the good one instead of duplicating its id. */
        if (!replaced) {
            put_row(&o, F_OPP, v, 0);
            rows++;
        }
        snprintf(prev_id, sizeof prev_id, "%.39s", v[S_OID]);
    }
    /* CRMs without invoices: every sale is a won deal in the same file. */
    if (op->st->won_as_txn) {
        for (long i = 0; i < op->transactions; i++) {
            txn_t t;
            gen_txn(b, &rt, &t);
            if (t.cents <= 0 || t.day > op->as_of) /* a deal is never a credit note */
                continue;
            const acct_t *a = &b->acc[t.acc];
            long cycle = 7 + (long)(40.0 * exp(0.5 * nrand(&rt)));
            deal_slots(b, &o, &rt, v, op->opportunities + i, a, t.day - cycle, 1, t.day,
                       t.cents, t.cur);
            put_row(&o, F_OPP, v, 0);
            rows++;
        }
    }
    put_footer(&o, rows);
    close_out(&o);
    g_rows[F_OPP] = rows;
}

/* ---------------------------------------------------------------- config */

static void write_config(const book_t *b, const opts_t *op, int argc, char **argv)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/config.ini", op->out);
    FILE *f = fopen(path, "w");
    if (!f)
        die("%s: %s", path, strerror(errno));
    int y, m, d;
    civil_from_days(op->as_of, &y, &m, &d);
    out_t o;
    memset(&o, 0, sizeof o);
    /* Recompute the localised formats exactly as the data writers did. */
    o.st = op->st;
    o.decimal = op->st->decimal;
    o.thousands = op->st->thousands;
    o.order = op->st->order;
    if (strcmp(op->lg->code, "en") && op->st->decimal == '.') {
        o.decimal = ',';
        o.thousands = strcmp(op->lg->code, "id") ? ' ' : '.';
        if (!strcmp(op->st->name, "pipedrive"))
            o.order = strcmp(op->lg->code, "id") ? ORD_DMY_DOT : ORD_DMY_SLASH;
    }
    /* the command line, continued on the next line before an option
     * that would take it past 180 bytes (the INI reader takes lines of at
     * most 198 bytes) */
    fprintf(f, "; Generated by sfgen (tools/gen.c):\n;  ");
    size_t col = 3;
    for (int i = 1; i < argc; i++) {
        size_t next = 1 + strlen(argv[i]) + (i + 1 < argc ? 1 + strlen(argv[i + 1]) : 0);
        if (col > 3 && argv[i][0] == '-' && col + next > 180) {
            fprintf(f, "\n;  ");
            col = 3;
        }
        fprintf(f, " %s", argv[i]);
        col += 1 + strlen(argv[i]);
    }
    fprintf(f, "\n; Style %s, language %s, %d reps. Regenerate instead of editing.\n\n",
            op->st->name, op->lg->code, b->nreps);
    fprintf(f, "[run]\nas_of = %04d-%02d-%02d\nlanguage = %s\ncurrency = %s\n\n",
            y, m, d, op->lg->code, op->lg->currency);
    fprintf(f, "[input]\n");
    if (op->st->preset)
        fprintf(f, "preset = %s\n", op->st->preset);
    fprintf(f, "accounts = accounts.csv\n");
    fprintf(f, "transactions = %s\n", op->st->won_as_txn ? "@won" : "transactions.csv");
    fprintf(f, "activities = activities.csv\nopportunities = opportunities.csv\n");
    if (!op->st->preset)
        fprintf(f, "delimiter = comma\n");
    if (o.decimal != op->st->decimal || !op->st->preset)
        fprintf(f, "decimal = %s\n", o.decimal == ',' ? "comma" : "dot");
    if (o.thousands != op->st->thousands || !op->st->preset) {
        const char *t = o.thousands == ' ' ? "space" : o.thousands == 0 ? "none" :
                        o.thousands == '.' ? "dot" : "comma";
        fprintf(f, "thousands = %s\n", t);
    }
    if (o.order != op->st->order) {
        static const char *fm[] = { "%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%d/%m/%Y" };
        fprintf(f, "date_format = %s\n", fm[o.order]);
    }
    fprintf(f, "\n; One sale in a hundred is invoiced in US dollars.\n");
    fprintf(f, "[currency_rates]\n%s = %s\n\n", op->lg->foreign, op->lg->usd_rate);
    fprintf(f, "; The ideal client: the three industries the big accounts come from,\n"
               "; and at least 20 employees.\n");
    fprintf(f, "[ideal_client]\nindustries = %s, %s, %s\nmin_employees = 20\n",
            op->lg->industries[0], op->lg->industries[1], op->lg->industries[2]);
    /* the store beside the output folder, named after this book: books
     * whose outputs share a folder (make demo's out/) each keep their own */
    const char *base = strrchr(op->out, '/');
    base = base && base[1] ? base + 1 : op->out;
    fprintf(f, "\n; The history store beside the output folder, named after this book:\n"
               "; books whose output folders share a parent each keep their own store.\n");
    fprintf(f, "[history]\npath = {output_dir}/../%s.history.sqlite\n", base);
    if (ferror(f) || fclose(f))
        die("%s: write failed", path);
}

int main(int argc, char **argv)
{
    opts_t op;
    parse_args(argc, argv, &op);
    if (mkdir(op.out, 0777) && errno != EEXIST)
        die("%s: %s", op.out, strerror(errno));
    book_t b;
    build_book(&b, &op);
    badlist_t bl[F_N];
    plan_bad(&op, bl);
    write_accounts(&b, &bl[F_ACC]);
    if (!op.st->won_as_txn)
        write_transactions(&b, &bl[F_TXN]);
    write_activities(&b, &bl[F_ACT]);
    write_opportunities(&b, &bl[F_OPP]);
    write_config(&b, &op, argc, argv);
    for (int f = 0; f < F_N; f++)
        free(bl[f].v);
    free(b.acc);
    free(b.repw);
    free(b.repname);
    for (int k = 0; k < 3; k++)
        free(b.w[k]);
    return 0;
}
