/* PLACEHOLDER - replaced by the real splitter (sentence.h). One sentence. */
#include "sentence.h"
#include "util/mem.h"
casus_status sentence_run(casus_ctx *ctx, const char *text, size_t n,
                          const casus_token *tok, size_t ntok, sentence_vec *out)
{
    (void)n;
    if (!ntok) return CASUS_OK;
    if (mem_grow(ctx, (void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
        return CASUS_ENOMEM;
    casus_sentence *s = &out->v[out->n++];
    s->first_token = 0; s->n_tokens = ntok; s->start = tok[0].start; s->end = tok[ntok-1].end;
    s->text.p = text + s->start; s->text.n = s->end - s->start;
    return CASUS_OK;
}
