/*
 * icews_eval.c - forecasting quality on an ICEWS-style dataset.
 *
 *   build/bench/icews_eval DIR [--split valid|test] [--model NAME|all]
 *                          [--lambda X] [--alpha Y] [--predictions FILE]
 *                          [--min-mrr X] [--explain N]
 *
 * Learns each model (strict, relaxed, combined, casus; default all) for the
 * split (default test; parameters tuned on valid) and prints time-aware
 * filtered MRR and Hits@1/3/10 for object queries, subject queries and both,
 * in percent, with CPU seconds for learning and evaluation. --predictions
 * writes the last model's top-100 TSV; --explain N prints the explanation of
 * the first N queries. With --min-mrr, exits 1 when the last model's overall
 * MRR (in percent) is below X.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"

static int file_write(void *ud, const char *p, size_t n)
{
    return fwrite(p, 1, n, (FILE *)ud) == n ? 0 : -1;
}

static void print_metrics(const char *what, const casus_forecast_metrics *m)
{
    printf("  %-8s n=%-6zu MRR %6.2f  H@1 %6.2f  H@3 %6.2f  H@10 %6.2f\n",
           what, m->n, 100 * m->mrr, 100 * m->hits1, 100 * m->hits3,
           100 * m->hits10);
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *model = "all", *pred = NULL;
    double min_mrr = -1;
    unsigned explain = 0;
    casus_forecast_options opt;
    casus_forecast_options_init(&opt);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--split") == 0 && v) {
            if (casus_forecast_split_parse(v, &opt.split) != CASUS_OK) {
                fprintf(stderr, "icews_eval: bad split %s\n", v);
                return 2;
            }
            i++;
        } else if (strcmp(a, "--model") == 0 && v) {
            model = v;
            i++;
        } else if (strcmp(a, "--lambda") == 0 && v) {
            opt.lambda = atof(v);
            i++;
        } else if (strcmp(a, "--alpha") == 0 && v) {
            opt.alpha = atof(v);
            i++;
        } else if (strcmp(a, "--predictions") == 0 && v) {
            pred = v;
            i++;
        } else if (strcmp(a, "--min-mrr") == 0 && v) {
            min_mrr = atof(v);
            i++;
        } else if (strcmp(a, "--explain") == 0 && v) {
            explain = (unsigned)atoi(v);
            i++;
        } else if (a[0] != '-' && !dir) {
            dir = a;
        } else {
            fprintf(stderr, "usage: icews_eval DIR [--split valid|test] "
                            "[--model NAME|all] [--lambda X] [--alpha Y] "
                            "[--predictions FILE] [--min-mrr X] "
                            "[--explain N]\n");
            return 2;
        }
    }
    if (!dir) {
        fprintf(stderr, "icews_eval: no data directory\n");
        return 2;
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_forecast_data *data = NULL;
    int rc = 0;
    if (!ctx)
        return 3;
    if (casus_forecast_data_open(ctx, dir, &data) != CASUS_OK) {
        fprintf(stderr, "icews_eval: %s\n", casus_ctx_message(ctx));
        casus_ctx_free(ctx);
        return 3;
    }
    printf("%s: %u entities, %u relations, %zu/%zu/%zu facts; split %s\n",
           dir, casus_forecast_data_entities(data),
           casus_forecast_data_relations(data),
           casus_forecast_data_size(data, CASUS_FORECAST_TRAIN),
           casus_forecast_data_size(data, CASUS_FORECAST_VALID),
           casus_forecast_data_size(data, CASUS_FORECAST_TEST),
           casus_forecast_split_name(opt.split));
    double last = 0;
    for (int m = 0; m < 4; m++) {
        casus_forecast_method meth = (casus_forecast_method)m;
        if (strcmp(model, "all") != 0 &&
            strcmp(model, casus_forecast_method_name(meth)) != 0)
            continue;
        opt.method = meth;
        FILE *pf = NULL;
        casus_sink sink;
        int last_model = strcmp(model, "all") != 0 || m == 3;
        if (pred && last_model) {
            pf = fopen(pred, "w");
            if (!pf) {
                perror(pred);
                rc = 3;
                break;
            }
            sink.write = file_write;
            sink.ud = pf;
        }
        casus_forecast_model *fm = NULL;
        casus_forecast_result r;
        casus_status st = casus_forecast_model_learn(ctx, data, &opt, &fm);
        if (st == CASUS_OK)
            st = casus_forecast_model_eval(fm, pf ? &sink : NULL, &r);
        if (st == CASUS_OK && explain) {
            casus_sink out = {file_write, stdout};
            for (unsigned i = 0; i < explain && st == CASUS_OK; i++)
                st = casus_forecast_explain(fm, i, 'o', 3, &out);
        }
        casus_forecast_model_free(fm);
        if (pf && fclose(pf) != 0)
            st = CASUS_EIO;
        if (st != CASUS_OK) {
            fprintf(stderr, "icews_eval: %s: %s\n",
                    casus_forecast_method_name(meth), casus_ctx_message(ctx));
            rc = 3;
            break;
        }
        printf("%s (%s): learn %.1fs, eval %.1fs, %zu queries without "
               "candidates\n", casus_forecast_method_name(meth), r.params,
               r.learn_seconds, r.eval_seconds, r.n_empty);
        print_metrics("object", &r.object);
        print_metrics("subject", &r.subject);
        print_metrics("all", &r.all);
        fflush(stdout);
        last = 100 * r.all.mrr;
    }
    if (rc == 0 && min_mrr >= 0 && last < min_mrr) {
        printf("icews_eval: MRR %.2f is below %.2f\n", last, min_mrr);
        rc = 1;
    }
    casus_forecast_data_free(data);
    casus_ctx_free(ctx);
    return rc;
}
