/*
 * fuzz_dict.c - libFuzzer harness for the dictionary loaders (casus format
 * and PETRARCH's four kinds) and the matcher built from what they load.
 *
 * The first byte chooses the reader: 0-3 a PETRARCH actors, agents, verbs or
 * discards file, anything else casus's format. The rest is the file. A
 * loaded dictionary is then matched against a fixed sentence and a few
 * lookups, so the tries and the verb table are exercised too.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "casus.h"
#include "dict.h"
#include "match.h"
#include "token.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int mode = data[0] % 5;
    casus_ctx *ctx = casus_ctx_new();
    if (!ctx)
        return 0;
    casus_dicts *d = NULL;
    if (dict_load_buffer(ctx, "fuzz", mode < 4 ? mode : -1, (const char *)data + 1, size - 1,
                         &d) == CASUS_OK) {
        static const char text[] =
            "Iranian forces and ISIS-K fighters attacked Jaish ul-Adl in the U.S. on Monday, "
            "the foreign ministry of Pakistan said; IS claims world cup baseballs.";
        token_vec tv = {NULL, 0, 0};
        match_seq seq = MATCH_SEQ_INIT;
        if (token_run(ctx, text, sizeof text - 1, &tv) == CASUS_OK &&
            match_prepare(ctx, d, tv.v, tv.n, &seq) == CASUS_OK) {
            match_hit h;
            for (size_t i = 0; i < seq.n; i++) {
                if (match_at(d, DICT_ACTORS, &seq, tv.v, i, &h)) {
                    const char *c = match_actor_code(d, h.entry, 19000);
                    char out[64];
                    match_combine(d, c, 0, out, sizeof out);
                }
                match_at(d, DICT_AGENTS, &seq, tv.v, i, &h);
                for (uint32_t s = 0; s < d->n_synsets && s < 8; s++)
                    match_synset_at(d, s, &seq, i);
                size_t n;
                match_verb(d, seq.wid[i], &n);
            }
            match_discard(d, &seq, tv.v, &h);
        }
        mem_free(ctx, tv.v);
        match_seq_free(ctx, &seq);
        const char *code;
        casus_dicts_lookup_verb(d, "attacked", &code);
    }
    casus_dicts_free(d);
    casus_ctx_free(ctx);
    return 0;
}
