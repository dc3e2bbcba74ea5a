/*
 * main.c - the command line: a table of commands, each with its synopsis,
 * its help and the options it takes; usage; dispatch. The commands
 * themselves live in run.c (run, check, review), init.c and in their own
 * files.
 *
 * Adding a command is one row of `commands` below (and its man page and
 * completion entries: tests/e2e/man.sh and completion.sh read --help).
 */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "analysis/sf_list.h"
#include "base/sf_log.h"
#include "cli/sf_history_cmd.h"
#include "cli/sf_run.h"
#include "cli/sf_version.h"
#include "config/sf_config.h"

/* Options a command may take, as bits. */
enum {
    OPT_CONFIG = 1 << 0,
    OPT_AS_OF = 1 << 1,
    OPT_OUT = 1 << 2,
    OPT_OWNER = 1 << 3,
    OPT_ALL_OWNERS = 1 << 4,
    OPT_QUIET = 1 << 5,
    OPT_REJECTS = 1 << 6,
    OPT_FORCE = 1 << 7,
    OPT_FILES = 1 << 8, /* takes file arguments */
    OPT_TIMEOUT = 1 << 9,
    OPT_ACCOUNT = 1 << 10,
    OPT_FROM = 1 << 11,
    OPT_TO = 1 << 12,
    OPT_EVERY = 1 << 13,
    OPT_HORIZON = 1 << 14,
    OPT_POINTS = 1 << 15,
    OPT_STEP = 1 << 16,
    OPT_RESEND = 1 << 17,
};

typedef struct {
    const char *name;
    const char *synopsis; /* after "salesfocus NAME" */
    const char *help;     /* lines of the command's description ('\n' between them) */
    unsigned opts;        /* OPT_* it accepts; the config is required when OPT_CONFIG */
    int (*run)(const sf_run_opts *o, int argc, char **argv);
} command;

static int cmd_run(const sf_run_opts *o, int argc, char **argv);
static int cmd_check(const sf_run_opts *o, int argc, char **argv);
static int cmd_review(const sf_run_opts *o, int argc, char **argv);
static int cmd_config(const sf_run_opts *o, int argc, char **argv);
static int cmd_lists(const sf_run_opts *o, int argc, char **argv);
static int cmd_init(const sf_run_opts *o, int argc, char **argv);
static int cmd_history(const sf_run_opts *o, int argc, char **argv);
static int cmd_backfill(const sf_run_opts *o, int argc, char **argv);
static int cmd_backtest(const sf_run_opts *o, int argc, char **argv);

static const command commands[] = {
    {"run", "-c CONFIG [--as-of YYYY-MM-DD] [--out DIR] [--timeout SECONDS] [--resend] [-q]",
     "read the CRM exports named in CONFIG, write the CSV lists, the workbook,\n"
     "          the PDF report and (if configured) the email",
     OPT_CONFIG | OPT_AS_OF | OPT_OUT | OPT_QUIET | OPT_TIMEOUT | OPT_RESEND, cmd_run},
    {"check", "-c CONFIG [--as-of YYYY-MM-DD] [--rejects FILE] [-q]",
     "validate CONFIG and the inputs; print the column mapping, the\n"
     "          data-quality counts with the first bad values, and how each status,\n"
     "          activity type and outcome was classified; write nothing but\n"
     "          --rejects FILE (the rejected records, as rejects.csv)",
     OPT_CONFIG | OPT_AS_OF | OPT_QUIET | OPT_REJECTS, cmd_check},
    {"review", "-c CONFIG (--owner NAME | --all-owners) [--as-of YYYY-MM-DD] [--out DIR] [--timeout SECONDS] [-q]",
     "write a sales coach's review pack (PDF) per owner",
     OPT_CONFIG | OPT_AS_OF | OPT_OUT | OPT_OWNER | OPT_ALL_OWNERS | OPT_QUIET | OPT_TIMEOUT, cmd_review},
    {"init", "[-o CONFIG] [--force] FILE...",
     "write a starter CONFIG (default salesfocus.ini) from the CRM's export\n"
     "          files: which file is which, the preset, formats, column mapping and\n"
     "          value lists, each guess with a comment; never overwrites without --force",
     OPT_OUT | OPT_FORCE | OPT_FILES | OPT_QUIET, cmd_init},
    {"history", "-c CONFIG [--account ID] [--as-of YYYY-MM-DD] [--out DIR] [-q]",
     "list the runs in the history store ([history] path): as-of date, when\n"
     "          stored, rules fingerprint, headline figures; --account ID: one\n"
     "          account's tier, temperature and revenue run by run",
     OPT_CONFIG | OPT_ACCOUNT | OPT_AS_OF | OPT_OUT | OPT_QUIET, cmd_history},
    {"backfill", "-c CONFIG --from YYYY-MM-DD [--to YYYY-MM-DD] [--every DAYS] [--out DIR] [-q]",
     "read the inputs once and store a run in the history store for every\n"
     "          date from --from to --to (default: the as-of date) every DAYS days\n"
     "          (default 7), as `run --as-of` of that date would; writes no reports",
     OPT_CONFIG | OPT_FROM | OPT_TO | OPT_EVERY | OPT_OUT | OPT_QUIET, cmd_backfill},
    {"backtest",
     "-c CONFIG [--as-of YYYY-MM-DD] [--horizon DAYS] [--points N] [--step DAYS] [--out DIR] [--timeout SECONDS] [-q]",
     "replay the warnings as of past dates and score each against what\n"
     "          followed: csv/backtest.csv, backtest.xlsx, backtest.pdf",
     OPT_CONFIG | OPT_AS_OF | OPT_OUT | OPT_QUIET | OPT_TIMEOUT | OPT_HORIZON | OPT_POINTS | OPT_STEP,
     cmd_backtest},
    {"config", "(--reference | --markdown)",
     "print the reference configuration, every key with its default\n"
     "          (--reference, as config/salesfocus.ini), or the table of every key\n"
     "          (--markdown, as in docs/configuration.md)",
     0, cmd_config},
    {"lists", "",
     "print every list the run writes: its CSV file, its workbook sheet and\n"
     "          its columns with their types",
     0, cmd_lists},
};

static void usage(FILE *f)
{
    for (size_t i = 0; i < SF_ARRAY_LEN(commands); i++) {
        if (*commands[i].synopsis)
            fprintf(f, "%s salesfocus %-8s %s\n", i ? "      " : "usage:", commands[i].name, commands[i].synopsis);
        else
            fprintf(f, "%s salesfocus %s\n", i ? "      " : "usage:", commands[i].name);
    }
    fputs("       salesfocus --help | --version\n\n", f);
    for (size_t i = 0; i < SF_ARRAY_LEN(commands); i++) {
        /* the help's later lines under its first, past the widest name */
        fprintf(f, "  %-9s ", commands[i].name);
        for (const char *p = commands[i].help; *p; p++) {
            fputc(*p, f);
            if (*p == '\n') {
                while (p[1] == ' ')
                    p++;
                fputs("            ", f);
            }
        }
        fputc('\n', f);
    }
    fputs("\n"
          "  -c, --config FILE   the INI configuration (see config/salesfocus.ini)\n"
          "      --as-of DATE    the as-of date T (default: [run] as_of, else today)\n"
          "  -o, --out PATH      run, review, backtest: the output folder (default:\n"
          "                      [run] output_dir); init: the configuration to write\n"
          "                      (default: salesfocus.ini)\n"
          "      --force         init: overwrite an existing configuration\n"
          "      --owner NAME    review: one owner, as written in the data\n"
          "      --all-owners    review: every owner\n"
          "      --rejects FILE  check: write the rejected records there (as rejects.csv)\n"
          "      --timeout SECS  stop the whole run after SECS seconds, exit 4\n"
          "                      (default: [run] timeout, 0 = no limit)\n"
          "      --resend        run: mail again though this ISO week's mail was sent\n"
          "      --account ID    history: one account, run by run\n"
          "      --from DATE     backfill: the first date stored\n"
          "      --to DATE       backfill: the last date (default: the as-of date)\n"
          "      --every DAYS    backfill: days between the dates (default 7)\n"
          "      --horizon DAYS  backtest: days compared after each date (default 90)\n"
          "      --points N      backtest: how many past dates (default 8)\n"
          "      --step DAYS     backtest: days between the dates (default 28)\n"
          "  -q, --quiet         errors only\n"
          "  -h, --help          this text\n"
          "  -V, --version       the version\n"
          "\n"
          "exit codes: 0 done, 2 usage or config error, 3 input error, 4 output error,\n"
          "            5 another run holds the lock\n",
          f);
}

static int bad_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "salesfocus: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    usage(stderr);
    return 2;
}

/* Parse the options of a command into *o. Returns -1 to go on, else the
 * exit code (usage printed). */
static int parse_opts(const command *cmd, int argc, char **argv, sf_run_opts *o)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},   {"as-of", required_argument, NULL, 'a'},
        {"out", required_argument, NULL, 'o'},      {"owner", required_argument, NULL, 'w'},
        {"all-owners", no_argument, NULL, 'A'},     {"quiet", no_argument, NULL, 'q'},
        {"force", no_argument, NULL, 'f'},
        {"rejects", required_argument, NULL, 'R'},
        {"account", required_argument, NULL, 'i'},  {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},       {"every", required_argument, NULL, 'E'},
        {"horizon", required_argument, NULL, 'H'},  {"points", required_argument, NULL, 'N'},
        {"step", required_argument, NULL, 'S'},     {"resend", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, 'V'},
        {"timeout", required_argument, NULL, 't'},  {NULL, 0, NULL, 0},
    };
    optind = 2;
    int c;
    while ((c = getopt_long(argc, argv, "c:o:qhV", longopts, NULL)) != -1) {
        unsigned need = c == 'c' ? OPT_CONFIG : c == 'a' ? OPT_AS_OF : c == 'o' ? OPT_OUT
                        : c == 'w' ? OPT_OWNER : c == 'A' ? OPT_ALL_OWNERS : c == 'q' ? OPT_QUIET
                        : c == 'R' ? OPT_REJECTS : c == 'f' ? OPT_FORCE : c == 't' ? OPT_TIMEOUT
                        : c == 'i' ? OPT_ACCOUNT : c == 'F' ? OPT_FROM : c == 'T' ? OPT_TO
                        : c == 'E' ? OPT_EVERY : c == 'r' ? OPT_RESEND
                        : c == 'H' ? OPT_HORIZON : c == 'N' ? OPT_POINTS : c == 'S' ? OPT_STEP : 0;
        if (need && !(cmd->opts & need)) {
            if (c == 'w' || c == 'A')
                return bad_usage("--owner and --all-owners belong to the review command", NULL);
            if (c == 'o' && strcmp(cmd->name, "check") == 0)
                return bad_usage("check writes nothing; --out does not apply", NULL);
            return bad_usage("option not taken by this command", argv[optind - 1]);
        }
        switch (c) {
        case 'c': o->config = optarg; break;
        case 'a': o->as_of = optarg; break;
        case 'o': o->out = optarg; break;
        case 'w': o->owner = optarg; break;
        case 'A': o->all_owners = true; break;
        case 'q': o->quiet = true; break;
        case 'f': o->force = true; break;
        case 'R': o->rejects = optarg; break;
        case 't': o->timeout = optarg; break;
        case 'i': o->account = optarg; break;
        case 'F': o->from = optarg; break;
        case 'T': o->to = optarg; break;
        case 'E': o->every = optarg; break;
        case 'r': o->resend = true; break;
        case 'H': o->horizon = optarg; break;
        case 'N': o->points = optarg; break;
        case 'S': o->step = optarg; break;
        case 'h': usage(stdout); return 0;
        case 'V': sf_print_version(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (cmd->opts & OPT_FILES) {
        o->files = argv + optind;
        o->n_files = argc - optind;
        if (!o->n_files)
            return bad_usage("init needs the export files", NULL);
    } else if (optind < argc) {
        return bad_usage("unexpected argument", argv[optind]);
    }
    if ((cmd->opts & OPT_CONFIG) && !o->config)
        return bad_usage("missing -c CONFIG", NULL);
    return -1;
}

static int cmd_run(const sf_run_opts *o, int argc, char **argv)
{
    (void)argc, (void)argv;
    return sf_cmd_run(o);
}

static int cmd_check(const sf_run_opts *o, int argc, char **argv)
{
    (void)argc, (void)argv;
    return sf_cmd_check(o);
}

static int cmd_init(const sf_run_opts *o, int argc, char **argv)
{
    (void)argc, (void)argv;
    return sf_cmd_init(o);
}

static int cmd_review(const sf_run_opts *o, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (!o->owner == !o->all_owners)
        return bad_usage("review needs exactly one of --owner NAME or --all-owners", NULL);
    return sf_cmd_review(o);
}

static int cmd_history(const sf_run_opts *o, int argc, char **argv)
{
    (void)argc, (void)argv;
    return sf_cmd_history(o);
}

static int cmd_backfill(const sf_run_opts *o, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (!o->from)
        return bad_usage("backfill needs --from YYYY-MM-DD", NULL);
    return sf_cmd_backfill(o);
}

static int cmd_backtest(const sf_run_opts *o, int argc, char **argv)
{
    (void)argc, (void)argv;
    return sf_cmd_backtest(o);
}

/* Standard output could not take it all: exit 4. */
static int stdout_result(bool ok)
{
    if (!ok || fflush(stdout) != 0) {
        fprintf(stderr, "salesfocus: cannot write to standard output\n");
        return 4;
    }
    return 0;
}

/* `salesfocus config --reference | --markdown`: the documents generated
 * from the schema, on stdout. */
static int cmd_config(const sf_run_opts *o, int argc, char **argv)
{
    (void)o;
    bool ref = argc == 3 && strcmp(argv[2], "--reference") == 0;
    bool md = argc == 3 && strcmp(argv[2], "--markdown") == 0;
    if (!ref && !md)
        return bad_usage("config needs exactly one of --reference or --markdown", NULL);
    return stdout_result((ref ? sf_config_write_reference(stdout) : sf_config_write_markdown(stdout)) == SF_OK);
}

static const char *const col_type_names[] = {
    [SF_COL_TEXT] = "text",   [SF_COL_INT] = "int",     [SF_COL_MONEY] = "money",
    [SF_COL_SHARE] = "share", [SF_COL_DECIMAL] = "decimal", [SF_COL_DATE] = "date",
    [SF_COL_TIER] = "tier",   [SF_COL_TEMP] = "temperature", [SF_COL_FLAGS] = "flags",
    [SF_COL_PERCENT] = "percent", [SF_COL_RATIO] = "ratio", [SF_COL_ANY] = "any",
};

/* `salesfocus lists`: one line per list, tab-separated: the CSV file, the
 * label key of its workbook sheet ("-": none, a CSV file only), and its
 * columns as NAME:TYPE,... (tests walk this instead of naming the files); a
 * column only the workbook shows is NAME:TYPE:sheet. */
static int cmd_lists(const sf_run_opts *o, int argc, char **argv)
{
    (void)o, (void)argv;
    if (argc != 2)
        return bad_usage("lists takes no argument", argv[2]);
    bool ok = true;
    for (size_t i = 0; i < sf_n_lists; i++) {
        const sf_list *l = sf_lists[i];
        ok &= printf("%s.csv\t%s\t", l->name, l->sheet_key ? l->sheet_key : "-") >= 0;
        for (int c = 0; c < l->n_cols; c++)
            ok &= printf("%s%s:%s%s", c ? "," : "", l->cols[c].name, col_type_names[l->cols[c].type],
                         l->cols[c].sheet_only ? ":sheet" : "") >= 0;
        ok &= putchar('\n') != EOF;
    }
    return stdout_result(ok);
}

/* glibc raises its mmap threshold to the size of each large block freed
 * (up to 32 MiB), so after the ingest frees its buffers every later large
 * block (workbook row chunks, CSV and history buffers, each thread's) is
 * carved from the arenas, where freed space stays resident. A fixed
 * threshold keeps large blocks mapped and returned to the system when
 * freed: the 1M-transaction run's peak RSS falls from about 190 MB to
 * about 155 MB for a few hundredths of a second of system time. */
static void malloc_setup(void)
{
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

int main(int argc, char **argv)
{
    malloc_setup();
    if (argc < 2)
        return bad_usage("missing command", NULL);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        sf_print_version(stdout);
        return 0;
    }
    const command *cmd = NULL;
    for (size_t i = 0; i < SF_ARRAY_LEN(commands) && !cmd; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            cmd = &commands[i];
    if (!cmd)
        return bad_usage("unknown command", argv[1]);
    sf_run_opts o = {0};
    if (cmd->opts) {
        int rc = parse_opts(cmd, argc, argv, &o);
        if (rc >= 0)
            return rc;
    }
    sf_log_init(o.quiet);
    return cmd->run(&o, argc, argv);
}
