/* PLACEHOLDER - replaced by the real conllu reader. */
#include "ctx.h"
#include "read_int.h"
static casus_status ph_open(casus_reader *r)
{
    return ctx_fail(r->ctx, CASUS_EFORMAT, "%s: conllu reader not built yet", r->name);
}
static casus_status ph_next(casus_reader *r, casus_doc *doc) { (void)r; (void)doc; return CASUS_DONE; }
const read_ops read_conllu_ops = {ph_open, ph_next, NULL};
