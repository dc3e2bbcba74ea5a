/*
 * main.c - command-line parsing and usage. Everything else lives in run.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/sf_log.h"
#include "cli/sf_run.h"
#include "cli/sf_version.h"
#include "config/sf_config.h"

static void usage(FILE *f)
{
    fputs("usage: salesfocus run    -c CONFIG [--as-of YYYY-MM-DD] [--out DIR] [-q]\n"
          "       salesfocus check  -c CONFIG [--as-of YYYY-MM-DD] [-q]\n"
          "       salesfocus review -c CONFIG (--owner NAME | --all-owners) [--as-of YYYY-MM-DD] [--out DIR] [-q]\n"
          "       salesfocus config (--reference | --markdown)\n"
          "       salesfocus --help | --version\n"
          "\n"
          "  run     read the CRM exports named in CONFIG, write the CSV lists, the workbook,\n"
          "          the PDF report and (if configured) the email\n"
          "  check   validate CONFIG and the inputs; print the column mapping and the\n"
          "          data-quality counts; write nothing\n"
          "  review  write a sales coach's review pack (PDF) per owner\n"
          "  config  print the reference configuration, every key with its default\n"
          "          (--reference, as config/salesfocus.ini), or the table of every key\n"
          "          (--markdown, as in docs/configuration.md)\n"
          "\n"
          "  -c, --config FILE   the INI configuration (see config/salesfocus.ini)\n"
          "      --as-of DATE    the as-of date T (default: [run] as_of, else today)\n"
          "      --out DIR       output folder (default: [run] output_dir)\n"
          "      --owner NAME    review: one owner, as written in the data\n"
          "      --all-owners    review: every owner\n"
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

/* `salesfocus config --reference | --markdown`: the documents generated
 * from the schema, on stdout. */
static int cmd_config(int argc, char **argv)
{
    bool ref = argc == 3 && strcmp(argv[2], "--reference") == 0;
    bool md = argc == 3 && strcmp(argv[2], "--markdown") == 0;
    if (!ref && !md)
        return bad_usage("config needs exactly one of --reference or --markdown", NULL);
    sf_err rc = ref ? sf_config_write_reference(stdout) : sf_config_write_markdown(stdout);
    if (rc || fflush(stdout) != 0) {
        fprintf(stderr, "salesfocus: cannot write to standard output\n");
        return 4;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},
        {"as-of", required_argument, NULL, 'a'},
        {"out", required_argument, NULL, 'o'},
        {"owner", required_argument, NULL, 'w'},
        {"all-owners", no_argument, NULL, 'A'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
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
    const char *cmd = argv[1];
    if (strcmp(cmd, "config") == 0)
        return cmd_config(argc, argv);
    if (strcmp(cmd, "run") != 0 && strcmp(cmd, "check") != 0 && strcmp(cmd, "review") != 0)
        return bad_usage("unknown command", cmd);

    sf_run_opts o = {0};
    optind = 2;
    int c;
    while ((c = getopt_long(argc, argv, "c:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': o.config = optarg; break;
        case 'a': o.as_of = optarg; break;
        case 'o': o.out = optarg; break;
        case 'w': o.owner = optarg; break;
        case 'A': o.all_owners = true; break;
        case 'q': o.quiet = true; break;
        case 'h': usage(stdout); return 0;
        case 'V': sf_print_version(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc)
        return bad_usage("unexpected argument", argv[optind]);
    if (!o.config)
        return bad_usage("missing -c CONFIG", NULL);
    bool is_review = strcmp(cmd, "review") == 0;
    if (is_review && !o.owner == !o.all_owners)
        return bad_usage("review needs exactly one of --owner NAME or --all-owners", NULL);
    if (!is_review && (o.owner || o.all_owners))
        return bad_usage("--owner and --all-owners belong to the review command", NULL);
    if (strcmp(cmd, "check") == 0 && o.out)
        return bad_usage("check writes nothing; --out does not apply", NULL);

    sf_log_init(o.quiet);
    if (strcmp(cmd, "run") == 0)
        return sf_cmd_run(&o);
    if (strcmp(cmd, "check") == 0)
        return sf_cmd_check(&o);
    return sf_cmd_review(&o);
}
