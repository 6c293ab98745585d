/*
 * date.h - calendar arithmetic on the proleptic Gregorian calendar.
 *
 * Dates are counted as days since 1970-01-01 (negative before), so adding
 * days, comparing and taking weekdays are integer operations. Valid for years
 * 1..9999, which is what casus_date holds in practice. The public parser and
 * formatter (casus_date_parse, casus_date_format) are in casus.h.
 */
#ifndef CASUS_DATE_H
#define CASUS_DATE_H

#include "casus.h"

int date_is_leap(int y);
/* Days in month m (1..12) of year y; 0 for a month out of range. */
int date_days_in_month(int y, int m);
/* Whether y-m-d is a real date with y in 1..9999. */
int date_valid(int y, int m, int d);
/* Days since 1970-01-01 of y-m-d (which need not be valid: the day may run
 * past the month's end and is carried over). */
long date_to_days(int y, int m, int d);
/* The date of a day number; all zero outside years 1..9999. */
casus_date date_from_days(long days);
/* 0 Monday .. 6 Sunday. */
int date_weekday(long days);
/* The day number of a casus_date; the caller checks it is known (year > 0). */
long date_days(casus_date d);

#endif
