/*
 * fuzz_token.c - libFuzzer harness for token.c and sentence.c.
 *
 * Feeds arbitrary bytes (not only valid UTF-8: the tokenizer must not trust
 * its input) and checks the invariants: words in order, non-empty, inside
 * the text, no JOIN_NEXT on the last word; sentences tile the words.
 */
#include <stdint.h>
#include <stdlib.h>

#include "casus.h"
#include "sentence.h"
#include "token.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    casus_ctx *ctx = casus_ctx_new();
    if (!ctx)
        return 0;
    const char *t = (const char *)data;
    token_vec tv = {0};
    sentence_vec sv = {0};
    if (token_run(ctx, t, size, &tv) == CASUS_OK
        && sentence_run(ctx, t, size, tv.v, tv.n, &sv) == CASUS_OK) {
        for (size_t i = 0; i < tv.n; i++) {
            const casus_token *w = &tv.v[i];
            if (w->start >= w->end || w->end > size || w->form.p != t + w->start
                || w->form.n != w->end - w->start
                || (i && w->start < tv.v[i - 1].end))
                abort();
        }
        if (tv.n && (tv.v[tv.n - 1].flags & CASUS_TOK_JOIN_NEXT))
            abort();
        size_t next = 0;
        for (size_t i = 0; i < sv.n; i++) {
            if (sv.v[i].first_token != next || sv.v[i].n_tokens == 0)
                abort();
            next += sv.v[i].n_tokens;
        }
        if (next != tv.n)
            abort();
    }
    mem_free(ctx, tv.v);
    mem_free(ctx, sv.v);
    casus_ctx_free(ctx);
    return 0;
}
