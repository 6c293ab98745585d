/*
 * date.c - calendar dates: ISO 8601 and PETRARCH's compact form.
 *
 * Only what readers need: a publication date. Resolving dates written in
 * prose ("last Wednesday") is the job of the when stage.
 */
#include "casus.h"
#include "util/date.h"

int date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && date_is_leap(y) ? 29 : d[m - 1];
}

int date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= date_days_in_month(y, m);
}

/* Howard Hinnant's days_from_civil / civil_from_days: eras of 400 years. */
long date_to_days(int y, int m, int d)
{
    long yy = (long)y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long mp = (m + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

casus_date date_from_days(long days)
{
    casus_date out = {0, 0, 0};
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 1 || y > 9999)
        return out;
    out.year = (int16_t)y;
    out.month = (int8_t)m;
    out.day = (int8_t)d;
    return out;
}

int date_weekday(long days)
{
    /* 1970-01-01 was a Thursday (3). */
    long w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

long date_days(casus_date d)
{
    return date_to_days(d.year, d.month, d.day);
}

/* Reads exactly k digits at s[*i]; -1 if they are not all digits. */
static int digits(const char *s, size_t n, size_t *i, int k)
{
    int v = 0;
    for (int j = 0; j < k; j++, (*i)++) {
        if (*i >= n || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = v * 10 + (s[*i] - '0');
    }
    return v;
}

casus_status casus_date_parse(const char *s, size_t n, casus_date *out)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    int y = digits(s, n, &i, 4);
    if (y < 0)
        return CASUS_EFORMAT;
    int compact = i < n && s[i] >= '0' && s[i] <= '9';
    if (!compact && (i >= n || s[i++] != '-'))
        return CASUS_EFORMAT;
    int m = digits(s, n, &i, 2);
    if (m < 0 || (!compact && (i >= n || s[i++] != '-')))
        return CASUS_EFORMAT;
    int d = digits(s, n, &i, 2);
    if (d < 0)
        return CASUS_EFORMAT;
    /* A time part may follow ("T10:00:00Z", " 10:00"); it is not used. */
    if (i < n && s[i] != 'T' && s[i] != 't' && s[i] != ' ')
        return CASUS_EFORMAT;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
        return CASUS_EFORMAT;
    out->year = (int16_t)y;
    out->month = (int8_t)m;
    out->day = (int8_t)d;
    return CASUS_OK;
}

void casus_date_format(casus_date d, char buf[11])
{
    if (d.year <= 0) {
        buf[0] = '\0';
        return;
    }
    unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 100u,
             dd = (unsigned)d.day % 100u;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + dd / 10);
    buf[9] = (char)('0' + dd % 10);
    buf[10] = '\0';
}
