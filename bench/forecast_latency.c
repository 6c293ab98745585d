/*
 * forecast_latency.c - how long one analyst forecast (casus_store_forecast)
 * takes on a store, e.g. the 10 M events that store_bench generates.
 *
 *   build/bench/forecast_latency --db PATH [--actor CODE]... [--as-of DATE]
 *                                [--horizon 7|14|30] [--runs N]
 *
 * Opens the store read-only once, then runs each actor's forecast N times
 * (default 20; the first run, with a cold page cache for that actor, is
 * reported apart) into a null sink, and prints per actor the events read,
 * the candidates, the first, median and slowest wall-clock times and the
 * median CPU time, in milliseconds (wall minus CPU is waiting: I/O, or
 * other processes on a busy machine).
 * Default actors: IRN, USA, IRNMIL, TJKMED (frequent to rare in the
 * generated corpus) and XXX (unknown).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casus.h"

static double now_ms(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

typedef struct keep {
    char head[400];
    size_t n;
} keep;

static int keep_write(void *ud, const char *p, size_t n)
{
    keep *k = ud;
    if (k->n < sizeof k->head - 1) {
        size_t m = n < sizeof k->head - 1 - k->n ? n : sizeof k->head - 1 - k->n;
        memcpy(k->head + k->n, p, m);
        k->n += m;
        k->head[k->n] = '\0';
    }
    return 0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static long json_num(const char *s, const char *key)
{
    const char *p = strstr(s, key);
    return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *actors[32];
    size_t na = 0;
    int runs = 20, horizon = 30;
    casus_date as_of = {0, 0, 0};
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--db") && v)
            db = argv[++i];
        else if (!strcmp(argv[i], "--actor") && v && na < 32)
            actors[na++] = argv[++i];
        else if (!strcmp(argv[i], "--runs") && v)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--horizon") && v)
            horizon = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--as-of") && v &&
                 casus_date_parse(v, strlen(v), &as_of) == CASUS_OK)
            i++;
        else {
            fprintf(stderr, "usage: forecast_latency --db PATH [--actor CODE]... "
                            "[--as-of DATE] [--horizon 7|14|30] [--runs N]\n");
            return 2;
        }
    }
    if (!db || runs < 1 || runs > 10000) {
        fprintf(stderr, "forecast_latency: give --db PATH (and --runs 1..10000)\n");
        return 2;
    }
    if (!na) {
        static const char *const def[] = {"IRN", "USA", "IRNMIL", "TJKMED", "XXX"};
        for (; na < 5; na++)
            actors[na] = def[na];
    }
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    if (casus_store_open(ctx, db, CASUS_STORE_READONLY, &s) != CASUS_OK) {
        fprintf(stderr, "forecast_latency: %s\n", casus_ctx_message(ctx));
        return 1;
    }
    double *t = calloc((size_t)runs, sizeof *t);
    double *c = calloc((size_t)runs, sizeof *c);
    printf("%-8s %10s %10s %9s %9s %9s %9s\n", "actor", "events",
           "candidates", "first ms", "median ms", "max ms", "cpu ms");
    int rc = 0;
    for (size_t a = 0; a < na && !rc; a++) {
        casus_store_forecast_opts o = {actors[a], horizon, as_of, 10, 5, 0};
        keep k = {{0}, 0};
        for (int r = 0; r < runs; r++) {
            keep kk = {{0}, 0};
            casus_sink out = {keep_write, r ? (void *)&kk : (void *)&k};
            size_t n;
            double t0 = now_ms(CLOCK_MONOTONIC);
            double c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
            if (casus_store_forecast(s, &o, &out, &n) != CASUS_OK) {
                fprintf(stderr, "forecast_latency: %s\n", casus_ctx_message(ctx));
                rc = 1;
                break;
            }
            t[r] = now_ms(CLOCK_MONOTONIC) - t0;
            c[r] = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        }
        if (rc)
            break;
        double first = t[0];
        qsort(t, (size_t)runs, sizeof *t, cmp_d);
        qsort(c, (size_t)runs, sizeof *c, cmp_d);
        printf("%-8s %10ld %10ld %9.1f %9.1f %9.1f %9.1f\n", actors[a],
               json_num(k.head, "\"events_read\":"),
               json_num(k.head, "\"candidates\":"), first, t[runs / 2],
               t[runs - 1], c[runs / 2]);
    }
    free(t);
    free(c);
    casus_store_close(s);
    casus_ctx_free(ctx);
    return rc;
}
