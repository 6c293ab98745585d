/*
 * respond.h - the response stage: links a state's strike or coercive action
 * to the attack it answers. The public API (casus_responses_*) is in
 * casus.h; these are the pieces the tests reach directly.
 */
#ifndef CASUS_RESPOND_H
#define CASUS_RESPOND_H

#include "casus.h"

/* 1 when a CAMEO actor code names a state: a country code alone ("IRN") or
 * with a state sector (GOV, MIL, COP, SPY, LEG, JUD: "IRNMILIRG"); 0 for
 * groups ("IMGMUSISI", "IRNINSJAA"), media, civilians and "". */
int respond_is_state(const char *code);

/* 1 when the CAMEO event code is a strike or coercive action (roots 17 to
 * 20: coerce, assault, fight, mass violence). */
int respond_is_coercive(const char *cameo);

#endif
