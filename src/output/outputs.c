/*
 * outputs.c - the output registry: one row per line of
 * include/config/sf_outputs.def, bound to its render function
 * sf_out_<name> and its [outputs] switch out_<name>.
 */
#include <stddef.h>

#include "output/sf_output.h"

#define SF_OUTPUT(name, def, phase, thread, help) \
    {#name, offsetof(sf_config, out_##name), phase, thread, sf_out_##name},
const sf_output_def sf_output_defs[] = {
#include "config/sf_outputs.def"
};
#undef SF_OUTPUT
const size_t sf_n_output_defs = SF_ARRAY_LEN(sf_output_defs);

bool sf_output_enabled(const sf_output_def *d, const sf_config *cfg)
{
    return *(const bool *)((const char *)cfg + d->enabled_offset);
}
