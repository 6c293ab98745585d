/* PLACEHOLDER - replaced by the real tokenizer (token.h). Splits at spaces. */
#include "token.h"
#include "util/mem.h"
casus_status token_run(casus_ctx *ctx, const char *text, size_t n, token_vec *out)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
            i++;
        size_t a = i;
        while (i < n && !(text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
            i++;
        if (i > a) {
            if (mem_grow(ctx, (void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
                return CASUS_ENOMEM;
            casus_token *t = &out->v[out->n++];
            t->form.p = text + a; t->form.n = i - a; t->start = a; t->end = i; t->flags = 0;
        }
    }
    return CASUS_OK;
}
