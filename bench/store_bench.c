/*
 * store_bench.c - event store speed: ingest of a generated corpus into
 * SQLite and PostgreSQL, named query times, and the memory of an export.
 *
 *   build/bench/store_bench [--events N] [--db PATH] [--pg URL]
 *                           [--export N] [--skip-ingest] [--incidents 0|1]
 *
 * The corpus is deterministic (a fixed LCG): documents of 10 events each,
 * in date order from 2017-01-01 to 2024-12-31 as a news feed arrives, actors
 * from 60 countries with a skewed (Zipf-like) frequency and 8 roles, 20
 * CAMEO codes. Events go in through casus_store_put_events (the library
 * path `casus ingest` and the coder use) with the default batches.
 *
 * With incidents (the default; --incidents 0 leaves them out, the events
 * are the same) each document also reports incidents at the rate `casus
 * code` finds in ../shared/data/bench-news/news.jsonl (2,844 documents:
 * 2,895 incidents, 1.02 a document: 0 in 22.6 %, 1 in 60.8 %, 2 in 12.0 %,
 * 3 in 2.8 %, 4 or more in 1.8 %; 7,427 evidence sentences, 2.57 an
 * incident, 1 to 10 here; 2,997 document reports, 3.5 % of reports
 * re-report an incident of another document). Each is dated (the document's
 * day or the day before) and placed in a country drawn like the events'
 * actors (so IRN has the most), which is the hard case for the incidents
 * query: news.jsonl dates only 572 of its 2,895. They go in as the coder's
 * do: casus_incidents_add_records into a set (cleared every 64 documents),
 * then casus_store_put_incidents after the document's events. Each
 * named query runs through casus_store_query into a null sink. The export
 * runs in a child process so its peak RSS (wait4) is its own: N/10 and N
 * events are exported to compare.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "casus.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* User + system CPU seconds of this process (the machine may be shared:
 * wall time alone says little under load). */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* CPU seconds of this thread, and of the process's other threads (the
 * store's writer and checkpointer, while they run: read before close) from
 * /proc/self/task; -1 when unknown. */
static double thread_cpu_s(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
        return -1;
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double task_cpu_s(const char *name)
{
    char path[300], line[1024];
    snprintf(path, sizeof path, "/proc/self/task/%s/stat", name);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    const char *p = strrchr(line, ')');
    unsigned long ut = 0, st = 0;
    /* after the name: state, then fields 4..13, then utime, stime */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                            "%lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* The largest CPU time of a thread other than the caller's; *sum gets
 * theirs together. */
static double other_threads_max_s(double *sum)
{
    DIR *d = opendir("/proc/self/task");
    double best = 0;
    char self[32];
    *sum = 0;
    snprintf(self, sizeof self, "%ld", (long)syscall(SYS_gettid));
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, self))
            continue;
        double c = task_cpu_s(e->d_name);
        *sum += c > 0 ? c : 0;
        if (c > best)
            best = c;
    }
    closedir(d);
    return best;
}

static uint64_t rng = 88172645463325252u;
static uint32_t next(void)
{
    rng = rng * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng >> 33);
}

/* The incidents' own stream, so the events are the same with or
 * without them. */
static uint64_t rng_inc = 1442695040888963407u;
static uint32_t next_inc(void)
{
    rng_inc = rng_inc * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_inc >> 33);
}

static const char *const countries[60] = {
    "IRN", "IRQ", "SYR", "AFG", "PAK", "ISR", "USA", "RUS", "TUR", "YEM",
    "SAU", "LBN", "PSE", "EGY", "LBY", "NGA", "MLI", "SOM", "SDN", "ETH",
    "UKR", "IND", "CHN", "GBR", "FRA", "DEU", "JOR", "ARE", "QAT", "KWT",
    "BHR", "OMN", "DZA", "TUN", "MAR", "NER", "TCD", "BFA", "CMR", "KEN",
    "COD", "CAF", "SSD", "MOZ", "PHL", "IDN", "MMR", "BGD", "LKA", "NPL",
    "COL", "MEX", "VEN", "BRA", "ARM", "AZE", "GEO", "KAZ", "UZB", "TJK"};
static const char *const roles[8] = {"", "GOV", "MIL", "COP", "REB", "CVL",
                                     "INS", "MED"};

static int zipf_country_u(uint32_t r);

/* The countries' names as the gazetteer knows them (countries[] order). */
static const char *const country_names[60] = {
    "Iran", "Iraq", "Syria", "Afghanistan", "Pakistan", "Israel",
    "United States", "Russia", "Turkey", "Yemen", "Saudi Arabia", "Lebanon",
    "Palestine", "Egypt", "Libya", "Nigeria", "Mali", "Somalia", "Sudan",
    "Ethiopia", "Ukraine", "India", "China", "United Kingdom", "France",
    "Germany", "Jordan", "United Arab Emirates", "Qatar", "Kuwait", "Bahrain",
    "Oman", "Algeria", "Tunisia", "Morocco", "Niger", "Chad", "Burkina Faso",
    "Cameroon", "Kenya", "Democratic Republic of the Congo",
    "Central African Republic", "South Sudan", "Mozambique", "Philippines",
    "Indonesia", "Myanmar", "Bangladesh", "Sri Lanka", "Nepal", "Colombia",
    "Mexico", "Venezuela", "Brazil", "Armenia", "Azerbaijan", "Georgia",
    "Kazakhstan", "Uzbekistan", "Tajikistan"};
static const char *const methods[6] = {"bombing", "firearms", "airstrike",
                                       "shelling", "suicide", "stabbing"};
static const char *const target_types[4] = {"civilians", "military", "police",
                                            "government"};

/* The incidents of document d (date date, 10 sentences) into rec[] (room
 * for 4) with their evidence in ev[] (room for 40); prev: the previous
 * document's first record (a re-report copies it), NULL when none. */
static size_t gen_incidents(casus_date date, casus_incident *rec,
                            casus_incident_evidence *ev,
                            const casus_incident *prev)
{
    casus_incident p;   /* prev may be rec[0], which this overwrites */
    memset(&p, 0, sizeof p);
    if (prev)
        p = *prev;
    uint32_t u = next_inc() % 1000;
    size_t n = u < 226 ? 0 : u < 834 ? 1 : u < 954 ? 2 : u < 982 ? 3 : 4;
    static const unsigned ev_cum[10] = {372, 641, 805, 884, 925, 945, 963, 975,
                                        984, 1000};
    for (size_t i = 0; i < n; i++) {
        casus_incident *x = &rec[i];
        memset(x, 0, sizeof *x);
        if (prev && next_inc() % 1000 < 35) {
            /* a re-report of the previous document's incident */
            *x = p;
        } else {
            int k = zipf_country_u(next_inc());
            struct tm tm = {0};
            tm.tm_year = date.year - 1900;
            tm.tm_mon = date.month - 1;
            tm.tm_mday = date.day - (int)(next_inc() % 2);
            timegm(&tm);
            x->date_start.year = (int16_t)(tm.tm_year + 1900);
            x->date_start.month = (int8_t)(tm.tm_mon + 1);
            x->date_start.day = (int8_t)tm.tm_mday;
            x->date_end = x->date_start;
            snprintf(x->date_precision, sizeof x->date_precision, "day");
            x->has_location = 1;
            snprintf(x->location_name, sizeof x->location_name, "%s",
                     country_names[k]);
            snprintf(x->location_country, sizeof x->location_country, "%s",
                     countries[k]);
            snprintf(x->location_precision, sizeof x->location_precision,
                     "country");
            snprintf(x->method, sizeof x->method, "%s",
                     methods[next_inc() % 6]);
            x->n_perpetrators = 1;
            snprintf(x->perpetrators[0].name, sizeof x->perpetrators[0].name,
                     "the forces");
            snprintf(x->perpetrators[0].code, sizeof x->perpetrators[0].code,
                     "%s%s", countries[zipf_country_u(next_inc())],
                     roles[next_inc() % 8]);
            x->n_targets = 1;
            snprintf(x->targets[0].name, sizeof x->targets[0].name, "people");
            snprintf(x->targets[0].type, sizeof x->targets[0].type, "%s",
                     target_types[next_inc() % 4]);
            x->killed.min = x->killed.max = next_inc() % 20;
            x->injured.min = x->injured.max = CASUS_COUNT_NONE;
            x->casualties.min = x->casualties.max = CASUS_COUNT_NONE;
        }
        uint32_t w = next_inc() % 1000;
        size_t n_ev = 1;
        while (n_ev < 10 && ev_cum[n_ev - 1] <= w)
            n_ev++;
        size_t first = next_inc() % (11 - n_ev);
        for (size_t e = 0; e < n_ev; e++) {
            casus_incident_evidence *v = &ev[i * 10 + e];
            v->doc = 0;
            v->sentence_index = first + e;
            v->start = v->sentence_index * 120;
            v->end = v->start + 110;
        }
        x->evidence = &ev[i * 10];
        x->n_evidence = n_ev;
    }
    return n;
}

static const char *const cameos[20] = {
    "190", "193", "195", "194", "1831", "1832", "1833", "181", "182", "186",
    "112", "111", "120", "130", "141", "145", "173", "042", "036", "010"};

static int zipf_country(void)
{
    return zipf_country_u(next());
}

static int zipf_country_u(uint32_t r)
{
    /* Roughly 1/(k+1): country k with weight 60/(k+1). */
    static double cum[60];
    static int init;
    if (!init) {
        double s = 0;
        for (int k = 0; k < 60; k++)
            cum[k] = (s += 1.0 / (k + 1));
        for (int k = 0; k < 60; k++)
            cum[k] /= s;
        init = 1;
    }
    double u = r / 2147483648.0;
    int k = 0;
    while (k < 59 && cum[k] < u)
        k++;
    return k;
}

static int null_write(void *ud, const char *p, size_t n)
{
    (void)p;
    *(size_t *)ud += n;
    return 0;
}

static int ingest(const char *target, size_t n_events, int with_incidents)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s;
    casus_dicts *dicts = NULL;
    casus_incidents *set = NULL;
    if (with_incidents &&
        (casus_dicts_load(ctx, getenv("CASUS_DICTIONARIES") ? NULL : "data/dictionaries",
                          &dicts) != CASUS_OK ||
         casus_incidents_new(ctx, dicts, NULL, &set) != CASUS_OK ||
         !casus_incidents_have_places(set))) {
        fprintf(stderr, "store_bench: incidents: %s\n",
                set ? "no gazetteer" : casus_ctx_message(ctx));
        return 1;
    }
    if (casus_store_open(ctx, target, 0, &s) != CASUS_OK) {
        fprintf(stderr, "store_bench: %s\n", casus_ctx_message(ctx));
        return 1;
    }
    casus_store_begin_run(s, "bench", "bench", "store_bench");
    rng = 88172645463325252u;
    rng_inc = 1442695040888963407u;
    size_t n_docs = n_events / 10, n_inc = 0, n_inc_ev = 0, n_prev = 0;
    casus_incident rec[2][4];
    casus_incident_evidence iev[2][40];
    double t0 = now(), c0 = cpu_s(), tc0 = thread_cpu_s();
    casus_event ev[10];
    char id[32];
    for (size_t d = 0; d < n_docs; d++) {
        /* Chronological: day 0..2921 over the corpus. */
        long day = (long)(d * 2922 / (n_docs ? n_docs : 1));
        struct tm tm = {0};
        tm.tm_year = 117;
        tm.tm_mday = 1 + (int)day;
        timegm(&tm);
        casus_date date = {(int16_t)(tm.tm_year + 1900), (int8_t)(tm.tm_mon + 1),
                           (int8_t)tm.tm_mday};
        for (int e = 0; e < 10; e++) {
            casus_event *x = &ev[e];
            memset(x, 0, sizeof *x);
            x->sentence_index = (size_t)e;
            x->start = (size_t)e * 120;
            x->end = x->start + 110;
            x->date = date;
            snprintf(x->source.code, sizeof x->source.code, "%s%s",
                     countries[zipf_country()], roles[next() % 8]);
            x->source.text.p = "the forces";
            x->source.text.n = 10;
            x->source.start = x->start;
            x->source.end = x->start + 10;
            x->has_target = next() % 10 != 0;
            if (x->has_target) {
                snprintf(x->target.code, sizeof x->target.code, "%s%s",
                         countries[zipf_country()], roles[next() % 8]);
                x->target.text.p = "civilians";
                x->target.text.n = 9;
                x->target.start = x->start + 30;
                x->target.end = x->start + 39;
            }
            const char *c = cameos[next() % 20];
            snprintf(x->cameo, sizeof x->cameo, "%s", c);
            int root = atoi(c) / (strlen(c) == 4 ? 100 : strlen(c) == 3 ? 10 : 1);
            x->quad_class = root <= 5 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : 4;
            x->goldstein = x->quad_class == 4 ? -10.0f : -2.0f;
            snprintf(x->plover_type, sizeof x->plover_type, "%s",
                     x->quad_class == 4 ? "ASSAULT" : "ACCUSE");
        }
        snprintf(id, sizeof id, "bench-%zu", d);
        casus_store_doc doc = {id, NULL, NULL, date};
        if (casus_store_put_events(s, &doc, ev, NULL, 10) != CASUS_OK) {
            fprintf(stderr, "store_bench: %s\n", casus_ctx_message(ctx));
            return 1;
        }
        if (!set)
            continue;
        if (d % 64 == 0)
            casus_incidents_clear(set);
        size_t k = d & 1, ni = gen_incidents(date, rec[k], iev[k],
                                             n_prev ? &rec[!k][0] : NULL);
        n_prev = ni;
        for (size_t i = 0; i < ni; i++)
            n_inc_ev += rec[k][i].n_evidence;
        n_inc += ni;
        if (casus_incidents_add_records(set, id, date, rec[k], ni) != CASUS_OK ||
            casus_store_put_incidents(s, set) != CASUS_OK) {
            fprintf(stderr, "store_bench: %s\n", casus_ctx_message(ctx));
            return 1;
        }
    }
    if (casus_store_commit(s) != CASUS_OK) {
        fprintf(stderr, "store_bench: %s\n", casus_ctx_message(ctx));
        return 1;
    }
    double t = now() - t0, cpu = cpu_s() - c0;
    double others = 0, main_cpu = thread_cpu_s() - tc0,
           other = other_threads_max_s(&others);
    casus_store_stats st;
    casus_store_stats_get(s, &st);
    printf("%-10s ingest: %zu events (%zu documents) in %.1f s = %.0f events/s"
           " (this process: %.1f CPU s = %.0f events per CPU s)\n",
           casus_store_backend(s), st.events, st.docs_added + st.docs_replaced,
           t, (double)st.events / t, cpu, (double)st.events / cpu);
    /* The busiest thread bounds the wall time on free cores. */
    printf("%-10s ingest threads: caller %.1f CPU s, busiest other thread "
           "%.1f CPU s, other threads %.1f CPU s\n", casus_store_backend(s),
           main_cpu, other, others);
    if (set)
        printf("%-10s ingest incidents: %zu incident records of %zu documents "
               "(%.2f a document), %zu evidence sentences (%.2f a record), "
               "%zu incident rows written\n", casus_store_backend(s), n_inc,
               n_docs, n_docs ? (double)n_inc / (double)n_docs : 0.0,
               n_inc_ev, n_inc ? (double)n_inc_ev / (double)n_inc : 0.0,
               st.incidents);
    casus_store_close(s);
    casus_incidents_free(set);
    casus_dicts_free(dicts);
    casus_ctx_free(ctx);
    return 0;
}

static void queries(const char *target)
{
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s;
    if (casus_store_open(ctx, target, CASUS_STORE_READONLY, &s) != CASUS_OK) {
        fprintf(stderr, "store_bench: %s\n", casus_ctx_message(ctx));
        return;
    }
    static const struct {
        const char *label, *query, *arg, *country, *from, *to;
    } q[] = {
        {"timeline", "timeline", NULL, NULL, NULL, NULL},
        {"timeline --country IRN", "timeline", NULL, "IRN", NULL, NULL},
        {"timeline --country TJK", "timeline", NULL, "TJK", NULL, NULL},
        {"dyads", "dyads", NULL, NULL, NULL, NULL},
        {"dyads --country IRN --from 2017-01 --to 2024-12", "dyads", NULL, "IRN",
         "2017-01", "2024-12"},
        {"dyads --from 2024-06 --to 2024-06", "dyads", NULL, NULL, "2024-06",
         "2024-06"},
        {"actor IRNMIL", "actor", "IRNMIL", NULL, NULL, NULL},
        {"actor IRN", "actor", "IRN", NULL, NULL, NULL},
        {"incidents --country IRN --from 2017-01 --to 2024-12", "incidents",
         NULL, "IRN", "2017-01", "2024-12"},
        {"incidents --country IRN", "incidents", NULL, "IRN", NULL, NULL},
        {"incidents --country TJK --from 2017-01 --to 2024-12", "incidents",
         NULL, "TJK", "2017-01", "2024-12"},
        {"incidents --country IRN --from 2024-06-01 --to 2024-06-30",
         "incidents", NULL, "IRN", "2024-06-01", "2024-06-30"},
        {"incidents --from 2024-06 --to 2024-06", "incidents", NULL, NULL,
         "2024-06", "2024-06"},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        size_t bytes = 0;
        casus_sink sink = {null_write, &bytes};
        casus_query_opts o = {q[i].country, q[i].from, q[i].to, 0};
        double t0 = now();
        casus_status st = casus_store_query(s, q[i].query, q[i].arg, &o,
                                            CASUS_TABLE_CSV, &sink);
        double t = now() - t0;
        printf("%-10s query %-52s %7.3f s%s\n", casus_store_backend(s),
               q[i].label, t, st == CASUS_OK ? "" : " FAILED");
    }
    casus_store_close(s);
    casus_ctx_free(ctx);
}

/* Exports n events in a child; returns its peak RSS in KiB. */
static long export_rss(const char *target, size_t n, double *secs,
                       size_t *bytes_out)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        casus_ctx *ctx = casus_ctx_new();
        casus_store *s;
        if (casus_store_open(ctx, target, CASUS_STORE_READONLY, &s) != CASUS_OK)
            _exit(1);
        size_t bytes = 0;
        casus_sink sink = {null_write, &bytes};
        casus_query_opts o = {NULL, NULL, NULL, n};
        casus_status st = casus_store_export(s, CASUS_EXPORT_GDELT, &o, &sink);
        casus_store_close(s);
        casus_ctx_free(ctx);
        if (write(fd[1], &bytes, sizeof bytes) != (ssize_t)sizeof bytes)
            _exit(1);
        _exit(st == CASUS_OK ? 0 : 1);
    }
    close(fd[1]);
    size_t bytes = 0;
    if (read(fd[0], &bytes, sizeof bytes) != (ssize_t)sizeof bytes)
        bytes = 0;
    close(fd[0]);
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    *secs = now() - t0;
    *bytes_out = bytes;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ru.ru_maxrss : -1;
}

static void exports(const char *target, size_t n)
{
    for (size_t k = n / 10; k <= n; k *= 10) {
        double t;
        size_t bytes;
        long rss = export_rss(target, k, &t, &bytes);
        printf("export gdelt %-9zu events from %s: %.1f s, %.0f MB written, "
               "peak RSS %ld KiB\n", k, strncmp(target, "postgres", 8)
                                            ? "sqlite" : "postgresql",
               t, (double)bytes / 1e6, rss);
    }
}

int main(int argc, char **argv)
{
    size_t n = 1000000, n_export = 1000000;
    const char *db = "build/store_bench.db", *pg = NULL;
    int skip_ingest = 0, with_incidents = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--events") && i + 1 < argc)
            n = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--pg") && i + 1 < argc)
            pg = argv[++i];
        else if (!strcmp(argv[i], "--export") && i + 1 < argc)
            n_export = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--skip-ingest"))
            skip_ingest = 1;
        else if (!strcmp(argv[i], "--incidents") && i + 1 < argc &&
                 (!strcmp(argv[i + 1], "0") || !strcmp(argv[i + 1], "1")))
            with_incidents = argv[++i][0] == '1';
        else {
            fprintf(stderr, "usage: store_bench [--events N] [--db PATH] "
                            "[--pg URL] [--export N] [--skip-ingest] "
                            "[--incidents 0|1]\n");
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (db && *db) {
        if (!skip_ingest) {
            char tmp[1024];
            snprintf(tmp, sizeof tmp, "%s-wal", db);
            unlink(db);
            unlink(tmp);
            snprintf(tmp, sizeof tmp, "%s-shm", db);
            unlink(tmp);
            if (ingest(db, n, with_incidents) != 0)
                return 1;
        }
        queries(db);
        if (n_export)
            exports(db, n_export);
    }
    if (pg) {
        if (!skip_ingest && ingest(pg, n, with_incidents) != 0)
            return 1;
        queries(pg);
        if (n_export)
            exports(pg, n_export);
    }
    return 0;
}
