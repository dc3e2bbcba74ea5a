/*
 * review.c - `salesfocus review -c CONFIG (--owner NAME | --all-owners)`:
 * the inputs read and analysed as a run does, then one coach's pack per
 * owner (out_review.c) staged into the output folder the runs replace,
 * under the run's lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sf_log.h"
#include "cli/sf_job.h"
#include "cli/sf_limit.h"

int sf_cmd_review(const sf_run_opts *opts)
{
    sf_job j;
    bool over;
    /* the packs go into the output folder the runs replace: one at a time */
    int rc = sf_job_start(&j, opts, 0, sf_now_s(), &over);
    if (over) {
        sf_job_release(&j);
        return rc;
    }
    if (rc == 0)
        rc = sf_job_history_load(&j, SF_HIST_READ, true);
    if (rc == 0)
        rc = sf_job_analyze(&j);
    if (rc == 0) {
        sf_output_ctx o = {.set = &j.set, .cfg = &j.cfg, .ds = j.ds, .rep = &j.rep, .rejects = &j.rejects, .lang = j.lang,
                           .out_dir = j.out_dir, .stage = &j.stage};
        /* the owners whose packs are asked for, in name order */
        uint32_t *want = malloc(((size_t)j.ds->n_owners + 1) * sizeof *want), found = 0;
        if (!want) {
            sf_ctx_nomem(&j.ctx);
            rc = sf_job_fail(&j);
        }
        for (uint32_t k = 0; k < j.ds->n_owners && rc == 0; k++) {
            uint32_t id = j.ds->owner_order[k];
            if (j.ds->owner_seen[id] && (opts->all_owners || strcmp(j.ds->owners[id], opts->owner) == 0))
                want[found++] = id;
        }
        if (rc == 0 && found > 0 && sf_out_reviews(&o, want, found, !j.set.single_thread, &j.ctx) != SF_OK)
            rc = sf_job_fail(&j);
        free(want);
        if (rc == 0 && found == 0) {
            sf_ctx_error(&j.ctx, SF_ERR_USAGE, "owner '%s' not found in the data", opts->owner ? opts->owner : "");
            rc = sf_job_fail(&j);
        }
        if (rc == 0 && sf_stage_commit(&j.stage, &j.ctx) != SF_OK)
            rc = sf_job_fail(&j);
        if (rc == 0)
            sf_limit_placed(j.placed_fd);
        if (rc == 0 && !opts->quiet)
            printf("review packs: %u written to %s\n", found, j.out_dir);
        if (rc)
            sf_stage_abort(&j.stage);
    }
    sf_job_release(&j);
    return rc;
}
