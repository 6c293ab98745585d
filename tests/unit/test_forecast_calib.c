/*
 * test_forecast_calib.c - calibrated probabilities of violence: scores and
 * reliability bins computed by hand, the logistic fit, pair features, the
 * ICEWS relation names, the backtest on a small made-up dataset (and its
 * bad inputs and out-of-memory loop), and analyst forecasts from a store
 * (an unknown actor, a bad horizon, ranking and precedents, out of memory).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "forecast_calib.h"

/* ---------------------------------------------------------------- helpers */

typedef struct outbuf {
    char p[16384];
    size_t n;
} outbuf;

static int out_write(void *ud, const char *p, size_t n)
{
    outbuf *o = ud;
    if (n > sizeof o->p - 1 - o->n)
        n = sizeof o->p - 1 - o->n;
    memcpy(o->p + o->n, p, n);
    o->n += n;
    o->p[o->n] = '\0';
    return 0;
}

static char dir[256];

static void put(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A 60-day dataset: A (0) fights B (1) every third day, B hits back every
 * ninth, C (2) talks to D (3) every other day and arrests D on day 30 and
 * 55. Train days 0-39, valid 40-49, test 50-59. */
static void make_dataset(int violent)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/casus-cal-XXXXXX", tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
    put("entity2id.txt", "A\t0\nB\t1\nC\t2\nD\t3\n");
    put("relation2id.txt", violent ? "Use_conventional_military_force\t0\n"
                                     "Make_statement\t1\n"
                                     "Arrest,_detain,_or_charge_with_legal_action\t2\n"
                                   : "Make_statement\t0\nConsult\t1\n"
                                     "Praise_or_endorse\t2\n");
    static char split[3][4096];
    for (int s = 0; s < 3; s++)
        split[s][0] = '\0';
    for (int t = 0; t < 60; t++) {
        int s = t < 40 ? 0 : t < 50 ? 1 : 2;
        char line[64];
        if (t % 3 == 0) {
            snprintf(line, sizeof line, "0\t0\t1\t%d\t-1\n", t);
            strcat(split[s], line);
        }
        if (t % 9 == 4) {
            snprintf(line, sizeof line, "1\t0\t0\t%d\t-1\n", t);
            strcat(split[s], line);
        }
        if (t % 2 == 0) {
            snprintf(line, sizeof line, "2\t1\t3\t%d\t-1\n", t);
            strcat(split[s], line);
        }
        if (t == 30 || t == 55) {
            snprintf(line, sizeof line, "2\t2\t3\t%d\t-1\n", t);
            strcat(split[s], line);
        }
    }
    put("train.txt", split[0]);
    put("valid.txt", split[1]);
    put("test.txt", split[2]);
}

static void remove_dataset(void)
{
    static const char *const f[] = {"entity2id.txt", "relation2id.txt",
                                     "train.txt", "valid.txt", "test.txt"};
    char p[512];
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, f[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* ---------------------------------------------------------------- scores */

static void test_scores_by_hand(void **state)
{
    (void)state;
    casus_calib_score s;
    memset(&s, 0, sizeof s);
    fcal_score_add(&s, 0.1, 0);
    fcal_score_add(&s, 0.8, 1);
    fcal_score_add(&s, 0.35, 1);
    fcal_score_add(&s, 0.95, 0);
    fcal_score_add(&s, 1.0, 1);   /* the last bin includes 1 */
    fcal_score_finish(&s);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.positives, 3);
    /* (0.01 + 0.04 + 0.4225 + 0.9025 + 0) / 5 */
    assert_true(fabs(s.brier - 1.375 / 5) < 1e-12);
    double ll = -(log(0.9) + log(0.8) + log(0.35) + log(0.05) +
                  log(1 - 1e-12)) / 5;
    assert_true(fabs(s.log_loss - ll) < 1e-9);
    assert_int_equal(s.bins[1].n, 1);
    assert_int_equal(s.bins[3].n, 1);
    assert_int_equal(s.bins[8].n, 1);
    assert_int_equal(s.bins[9].n, 2);
    assert_int_equal(s.bins[0].n, 0);
    assert_true(fabs(s.bins[9].mean_pred - 0.975) < 1e-12);
    assert_true(fabs(s.bins[9].observed - 0.5) < 1e-12);
    assert_true(fabs(s.bins[3].observed - 1) < 1e-12);
    /* A certain, wrong forecast costs a finite log loss (clipped). */
    memset(&s, 0, sizeof s);
    fcal_score_add(&s, 0, 1);
    fcal_score_finish(&s);
    assert_true(isfinite(s.log_loss) && s.log_loss > 27);
}

static void test_logistic_fit(void **state)
{
    (void)state;
    casus_ctx *ctx = casus_ctx_new();
    /* x = 1 for 10 rows of which 7 positive, x = 0 for 10 rows with 2. */
    float x[40];
    unsigned char y[20];
    for (int i = 0; i < 20; i++) {
        x[2 * i] = 1;
        x[2 * i + 1] = i < 10;
        y[i] = i < 10 ? i < 7 : i < 12;
    }
    double w[2];
    assert_int_equal(fcal_logistic_fit(ctx, x, y, 20, 2, 0, w), CASUS_OK);
    /* The maximum-likelihood fit reproduces both rates. */
    double p1 = 1 / (1 + exp(-(w[0] + w[1]))), p0 = 1 / (1 + exp(-w[0]));
    assert_true(fabs(p1 - 0.7) < 1e-6);
    assert_true(fabs(p0 - 0.2) < 1e-6);
    assert_int_equal(fcal_logistic_fit(ctx, x, y, 0, 2, 0, w), CASUS_EINVAL);
    casus_ctx_free(ctx);
}

static void test_pair_features(void **state)
{
    (void)state;
    fcal_pair p;
    fcal_pair_init(&p);
    float conf[FCAL_NB] = {0};
    conf[19] = 0.5f;
    fcal_pair_add(&p, 19, 2, conf);   /* X fought Y two days ago */
    fcal_pair_add(&p, 19, 40, conf);
    fcal_pair_add(&p, 38, 5, conf);   /* Y assaulted X (20 + 18) */
    fcal_pair_add(&p, 1, 1, conf);    /* a statement yesterday */
    p.x_v30 = 3;
    double x[FCAL_NF];
    fcal_features(&p, x);
    assert_true(x[0] == 1 && x[1] == 1);
    assert_true(fabs(x[2] - log1p(1)) < 1e-12);     /* one in 7 days */
    assert_true(fabs(x[3] - log1p(1)) < 1e-12);     /* one in 30 days */
    assert_true(fabs(x[4] - log1p(2)) < 1e-12);
    assert_true(fabs(x[5] - exp(-2.0 / 7)) < 1e-12);
    assert_true(fabs(x[8] - log1p(1)) < 1e-12);
    assert_true(fabs(x[9] - exp(-5.0 / 7)) < 1e-12);
    assert_true(fabs(x[11] - log1p(3)) < 1e-12);    /* 3 events in 30 days */
    assert_true(fabs(x[12] - log1p(4)) < 1e-12);
    assert_true(fabs(x[13] - exp(-1.0 / 7)) < 1e-12);
    double rule = 0.5 * (exp2(-0.2) + exp2(-4.0));
    assert_true(fabs(x[14] - log1p(10 * rule)) < 1e-9);
    assert_true(fabs(x[15] - log1p(3)) < 1e-12);
    /* Nothing violent: recency features are 0, not NaN. */
    fcal_pair_init(&p);
    fcal_pair_add(&p, 0, 3, NULL);
    fcal_features(&p, x);
    for (int k = 0; k < FCAL_NF; k++)
        assert_false(isnan(x[k]));
    assert_true(x[1] == 0 && x[5] == 0 && x[9] == 0 && x[14] == 0);
}

static void test_relation_names(void **state)
{
    (void)state;
    assert_int_equal(fcal_root_of_name("Use_conventional_military_force"), 19);
    assert_int_equal(fcal_root_of_name("fight_with_small_arms_and_light_weapons"), 19);
    assert_int_equal(fcal_root_of_name("Abduct,_hijack,_or_take_hostage"), 18);
    assert_int_equal(fcal_root_of_name("Engage_in_mass_killings"), 20);
    assert_int_equal(fcal_root_of_name("Coerce"), 17);
    assert_int_equal(fcal_root_of_name("Make_statement"), 1);
    assert_int_equal(fcal_root_of_name("Not_a_CAMEO_event"), 0);
    assert_int_equal(fcal_root_of_name(NULL), 0);
    assert_true(fcal_violent_root(17) && fcal_violent_root(20));
    assert_false(fcal_violent_root(14) || fcal_violent_root(0));
    /* The shipped model covers the three horizons. */
    assert_non_null(fcal_shipped_model(7));
    assert_non_null(fcal_shipped_model(30));
    assert_null(fcal_shipped_model(9));
}

/* ---------------------------------------------------------------- backtest */

static void test_calibrate_small(void **state)
{
    (void)state;
    make_dataset(1);
    casus_ctx *ctx = casus_ctx_new();
    casus_forecast_data *d = NULL;
    assert_int_equal(casus_forecast_data_open(ctx, dir, &d), CASUS_OK);
    int h[2] = {3, 7};
    casus_calib_result r[2];
    outbuf model = {{0}, 0};
    casus_sink ms = {out_write, &model};
    assert_int_equal(casus_forecast_calibrate(ctx, d, h, 2, r, &ms), CASUS_OK);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(r[i].horizon, h[i]);
        assert_true(r[i].n_train > 0 && r[i].n_valid > 0 && r[i].model.n > 0);
        assert_int_equal(r[i].model.n, r[i].base.n);
        assert_int_equal(r[i].model.n, r[i].persistence.n);
        assert_true(r[i].model.brier >= 0 && r[i].model.brier <= 1);
        assert_true(r[i].test_covered <= r[i].test_events);
        /* A strikes B every third day: the model knows it (at 7 days
         * the periods hold too few origins to say). */
        if (h[i] == 3)
            assert_true(r[i].model.brier < r[i].base.brier);
        size_t nb = 0;
        for (int k = 0; k < 10; k++)
            nb += r[i].model.bins[k].n;
        assert_int_equal(nb, r[i].model.n);
    }
    assert_non_null(strstr(model.p, "fcal_models[]"));
    assert_non_null(strstr(model.p, "Use_conventional_military_force"));
    outbuf rep = {{0}, 0};
    casus_sink rs = {out_write, &rep};
    assert_int_equal(casus_calib_write(ctx, r, 2, &rs), CASUS_OK);
    assert_non_null(strstr(rep.p, "horizon 7 days"));
    assert_non_null(strstr(rep.p, "persistence"));
    /* Bad horizons. */
    int bad[1] = {0};
    assert_int_equal(casus_forecast_calibrate(ctx, d, bad, 1, r, NULL),
                     CASUS_EINVAL);
    bad[0] = 30;   /* valid holds 10 days: no origin fits */
    assert_int_equal(casus_forecast_calibrate(ctx, d, bad, 1, r, NULL),
                     CASUS_EINVAL);
    assert_non_null(strstr(casus_ctx_message(ctx), "does not fit"));
    casus_forecast_data_free(d);
    casus_ctx_free(ctx);
    remove_dataset();
}

static void test_calibrate_no_violence(void **state)
{
    (void)state;
    make_dataset(0);
    casus_ctx *ctx = casus_ctx_new();
    casus_forecast_data *d = NULL;
    assert_int_equal(casus_forecast_data_open(ctx, dir, &d), CASUS_OK);
    int h[1] = {7};
    casus_calib_result r[1];
    assert_int_equal(casus_forecast_calibrate(ctx, d, h, 1, r, NULL),
                     CASUS_EINVAL);
    assert_non_null(strstr(casus_ctx_message(ctx), "violent"));
    casus_forecast_data_free(d);
    casus_ctx_free(ctx);
    remove_dataset();
}

static void test_calibrate_oom(void **state)
{
    (void)state;
    make_dataset(1);
    for (long n = 1;; n++) {
        test_alloc a = {0, 0, 0};
        casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
        assert_non_null(ctx);
        casus_forecast_data *d = NULL;
        assert_int_equal(casus_forecast_data_open(ctx, dir, &d), CASUS_OK);
        a.fail_at = a.count + n;
        int h[1] = {7};
        casus_calib_result r[1];
        outbuf model = {{0}, 0};
        casus_sink ms = {out_write, &model};
        casus_status st = casus_forecast_calibrate(ctx, d, h, 1, r, &ms);
        casus_forecast_data_free(d);
        casus_ctx_free(ctx);
        assert_int_equal(a.live, 0);
        if (st == CASUS_OK)
            break;
        assert_int_equal(st, CASUS_ENOMEM);
        assert_true(n < 10000);
    }
    remove_dataset();
}

/* ---------------------------------------------------------------- store */

static casus_event ev(const char *date, const char *src, const char *tgt,
                      const char *cameo)
{
    casus_event e;
    memset(&e, 0, sizeof e);
    casus_date_parse(date, strlen(date), &e.date);
    snprintf(e.source.code, sizeof e.source.code, "%s", src);
    snprintf(e.target.code, sizeof e.target.code, "%s", tgt);
    e.has_target = 1;
    snprintf(e.cameo, sizeof e.cameo, "%s", cameo);
    e.quad_class = 4;
    e.end = 10;
    return e;
}

static const char *make_store(void)
{
    static char path[300];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/casus-fs-%d.db", tmp ? tmp : "/tmp",
             (int)getpid());
    unlink(path);
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    assert_int_equal(casus_store_open(ctx, path, 0, &s), CASUS_OK);
    const char *rows[][4] = {{"2024-01-03", "IRN", "PAK", "190"},
                             {"2024-01-10", "IRN", "PAK", "183"},
                             {"2024-01-12", "PAK", "IRN", "190"},
                             {"2024-01-15", "IRN", "ISR", "111"},
                             {"2024-01-16", "IRN", "USA", "010"}};
    for (int i = 0; i < 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "d%d", i + 1);
        casus_store_doc doc = {id, NULL, NULL, {0, 0, 0}};
        casus_event e = ev(rows[i][0], rows[i][1], rows[i][2], rows[i][3]);
        doc.date = e.date;
        assert_int_equal(casus_store_put_events(s, &doc, &e, NULL, 1), CASUS_OK);
    }
    assert_int_equal(casus_store_commit(s), CASUS_OK);
    casus_store_close(s);
    casus_ctx_free(ctx);
    return path;
}

static void test_store_forecast(void **state)
{
    (void)state;
    const char *path = make_store();
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    assert_int_equal(casus_store_open(ctx, path, CASUS_STORE_READONLY, &s),
                     CASUS_OK);
    casus_store_forecast_opts o;
    memset(&o, 0, sizeof o);
    o.actor = "IRN";
    outbuf out = {{0}, 0};
    casus_sink sk = {out_write, &out};
    size_t n = 0;
    assert_int_equal(casus_store_forecast(s, &o, &sk, &n), CASUS_OK);
    assert_int_equal(n, 3);
    /* PAK, struck twice and striking back, ranks first. */
    assert_non_null(strstr(out.p, "\"rank\":1,\"target\":\"PAK\""));
    assert_non_null(strstr(out.p, "\"as_of\":\"2024-01-17\""));
    assert_non_null(strstr(out.p, "\"doc_id\":\"d3\""));
    assert_non_null(strstr(out.p, "\"plover_type\":\"ASSAULT\""));
    /* As of 2024-01-11: only the two strikes before it count. */
    out.n = 0;
    casus_date_parse("2024-01-11", 10, &o.as_of);
    o.top_k = 1;
    assert_int_equal(casus_store_forecast(s, &o, &sk, &n), CASUS_OK);
    assert_int_equal(n, 1);
    assert_null(strstr(out.p, "d3"));
    assert_non_null(strstr(out.p, "\"events_read\":2"));
    /* Unknown actor: an empty forecast with a reason, not an error. */
    out.n = 0;
    memset(&o, 0, sizeof o);
    o.actor = "XXX";
    assert_int_equal(casus_store_forecast(s, &o, &sk, &n), CASUS_OK);
    assert_int_equal(n, 0);
    assert_non_null(strstr(out.p, "\"targets\":[]"));
    assert_non_null(strstr(out.p, "\"reason\":"));
    /* A known actor with no history before as_of. */
    out.n = 0;
    o.actor = "IRN";
    casus_date_parse("2020-01-01", 10, &o.as_of);
    assert_int_equal(casus_store_forecast(s, &o, &sk, &n), CASUS_OK);
    assert_int_equal(n, 0);
    assert_non_null(strstr(out.p, "no event of actor IRN"));
    /* Bad options. */
    o.horizon = 9;
    assert_int_equal(casus_store_forecast(s, &o, &sk, &n), CASUS_EINVAL);
    o.horizon = 7;
    o.actor = "";
    assert_int_equal(casus_store_forecast(s, &o, &sk, &n), CASUS_EINVAL);
    casus_store_close(s);
    casus_ctx_free(ctx);
    unlink(path);
}

/* A country code stands for the state: IRN with IRNMIL, IRNMILIRG and
 * IRNGOV; partners fold the same way; --exact and longer codes do not. */
static void test_store_forecast_groups(void **state)
{
    (void)state;
    static char path[300];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/casus-fsg-%d.db", tmp ? tmp : "/tmp",
             (int)getpid());
    unlink(path);
    casus_ctx *ctx = casus_ctx_new();
    casus_store *s = NULL;
    assert_int_equal(casus_store_open(ctx, path, 0, &s), CASUS_OK);
    const char *rows[][4] = {{"2024-01-03", "IRNMIL", "PAKMIL", "190"},
                             {"2024-01-05", "IRNMILIRG", "SYRREB", "195"},
                             {"2024-01-06", "PAKGOV", "IRNGOV", "190"},
                             {"2024-01-07", "IRNINS", "IRNCOP", "183"},
                             {"2024-01-08", "IRNGOV", "IRNCOP", "111"},
                             {"2024-01-09", "IRN", "USA", "173"},
                             {"2024-01-10", "IRNREB", "PAK", "190"},
                             {"2024-01-11", "IRNGOVX", "PAKCVL", "180"}};
    for (int i = 0; i < 8; i++) {
        char id[16];
        snprintf(id, sizeof id, "g%d", i + 1);
        casus_store_doc doc = {id, NULL, NULL, {0, 0, 0}};
        casus_event e = ev(rows[i][0], rows[i][1], rows[i][2], rows[i][3]);
        doc.date = e.date;
        assert_int_equal(casus_store_put_events(s, &doc, &e, NULL, 1), CASUS_OK);
    }
    assert_int_equal(casus_store_commit(s), CASUS_OK);
    casus_store_forecast_opts o;
    memset(&o, 0, sizeof o);
    o.actor = "IRN";
    o.top_k = 20;
    outbuf out = {{0}, 0};
    casus_sink sk = {out_write, &out};
    size_t n = 0;
    assert_int_equal(casus_store_forecast(s, &o, &sk, &n), CASUS_OK);
    /* PAK (PAKMIL struck, PAKGOV struck back), SYRREB, IRNINS, USA,
     * PAKCVL; not IRNCOP (the state on itself) nor IRNREB's act. */
    assert_int_equal(n, 5);
    assert_non_null(strstr(out.p, "\"actor_match\":\"state\""));
    assert_non_null(strstr(out.p, "\"as_of\":\"2024-01-12\""));
    assert_non_null(strstr(out.p, "\"events_read\":6"));
    assert_non_null(strstr(out.p, "\"rank\":1,\"target\":\"PAK\""));
    assert_non_null(strstr(out.p, "\"target\":\"SYRREB\""));
    assert_non_null(strstr(out.p, "\"target\":\"IRNINS\""));
    assert_non_null(strstr(out.p, "\"target\":\"PAKCVL\""));
    assert_null(strstr(out.p, "\"target\":\"PAKMIL\",\"prob"));
    assert_null(strstr(out.p, "IRNCOP\",\"prob"));
    assert_null(strstr(out.p, "IRNREB"));
    /* precedents keep the codes as coded */
    assert_non_null(strstr(out.p, "\"source\":\"IRNMIL\",\"target\":\"PAKMIL\""));
    /* --exact: IRN alone */
    out.n = 0;
    o.exact = 1;
    assert_int_equal(casus_store_forecast(s, &o, &sk, &n), CASUS_OK);
    assert_int_equal(n, 1);
    assert_non_null(strstr(out.p, "\"actor_match\":\"exact\""));
    assert_non_null(strstr(out.p, "\"target\":\"USA\""));
    /* a longer code is exact, and its partners are not folded */
    out.n = 0;
    o.exact = 0;
    o.actor = "IRNMIL";
    assert_int_equal(casus_store_forecast(s, &o, &sk, &n), CASUS_OK);
    assert_int_equal(n, 1);
    assert_non_null(strstr(out.p, "\"rank\":1,\"target\":\"PAKMIL\""));
    casus_store_close(s);
    casus_ctx_free(ctx);
    unlink(path);
}

static void test_store_forecast_oom(void **state)
{
    (void)state;
    const char *path = make_store();
    for (long k = 1;; k++) {
        test_alloc a = {0, 0, 0};
        casus_ctx *ctx = casus_ctx_new_with_alloc(test_alloc_fn, &a);
        casus_store *s = NULL;
        assert_int_equal(casus_store_open(ctx, path, CASUS_STORE_READONLY, &s),
                         CASUS_OK);
        a.fail_at = a.count + k;
        casus_store_forecast_opts o;
        memset(&o, 0, sizeof o);
        o.actor = "IRN";
        outbuf out = {{0}, 0};
        casus_sink sk = {out_write, &out};
        size_t n = 0;
        casus_status st = casus_store_forecast(s, &o, &sk, &n);
        a.fail_at = 0;
        casus_store_close(s);
        casus_ctx_free(ctx);
        assert_int_equal(a.live, 0);
        if (st == CASUS_OK) {
            assert_int_equal(n, 3);
            break;
        }
        assert_true(st == CASUS_ENOMEM || st == CASUS_EIO);
        assert_true(k < 10000);
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scores_by_hand),
        cmocka_unit_test(test_logistic_fit),
        cmocka_unit_test(test_pair_features),
        cmocka_unit_test(test_relation_names),
        cmocka_unit_test(test_calibrate_small),
        cmocka_unit_test(test_calibrate_no_violence),
        cmocka_unit_test(test_calibrate_oom),
        cmocka_unit_test(test_store_forecast),
        cmocka_unit_test(test_store_forecast_groups),
        cmocka_unit_test(test_store_forecast_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
