/* store_pg.c - placeholder until the PostgreSQL backend lands. */
#include "ctx.h"
#include "store_int.h"

static casus_status pg_open(casus_store *s, const char *target, unsigned flags,
                            void **be)
{
    (void)target; (void)flags; (void)be;
    return ctx_fail(s->ctx, CASUS_EIO, "%s: PostgreSQL is not supported yet",
                    s->target);
}

const store_ops store_pg_ops = {"postgresql", pg_open, NULL, NULL, NULL, NULL,
                                NULL, NULL, NULL, NULL, NULL, NULL};
