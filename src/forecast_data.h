/*
 * forecast_data.h - the temporal knowledge graph that forecasting reads.
 *
 * A dataset is a directory in the ICEWS layout used by RE-GCN, TLogic and
 * Gastinger et al. 2024: entity2id.txt and relation2id.txt ("name<TAB>id",
 * ids 0..n-1) and three splits train.txt, valid.txt, test.txt of quadruple
 * lines "subject relation object time [ignored]". Splits follow each other in
 * time and each is sorted by time; every violation is a CASUS_EFORMAT naming
 * file:line.
 */
#ifndef CASUS_FORECAST_DATA_H
#define CASUS_FORECAST_DATA_H

#include "casus.h"

/* One fact: subject, relation, object, time (in the dataset's own units). */
typedef struct fc_quad {
    uint32_t s, r, o;
    int32_t t;
} fc_quad;

enum { FC_TRAIN = 0, FC_VALID = 1, FC_TEST = 2, FC_NSPLIT = 3 };

struct casus_forecast_data {
    casus_ctx *ctx;
    uint32_t n_ent, n_rel;
    char *names;             /* every name, each NUL-terminated */
    uint32_t *ent_name;      /* offsets into names, by entity id */
    uint32_t *rel_name;      /* offsets into names, by relation id */
    fc_quad *quad[FC_NSPLIT];
    size_t n_quad[FC_NSPLIT];
    /* The time step: the gcd of the gaps between distinct timestamps (1 when
     * there is at most one timestamp). Decay rates are per step. */
    int32_t step;
};

/*
 * Parses one split from memory. name is the file name used in messages.
 * Checks ids against n_ent/n_rel and that time never decreases, nor starts
 * before min_t. On success *out (owned by the caller, mem_free) holds *n
 * facts; on failure the context message is "name:line: cause".
 */
casus_status fc_parse_quads(casus_ctx *ctx, const char *name, const char *text,
                            size_t len, uint32_t n_ent, uint32_t n_rel,
                            int32_t min_t, fc_quad **out, size_t *n);

#endif
