/*
 * Mainland China mobile numbers: 11 digits, the first 1 and the second
 * 3..9. Input may carry the country code as "+86" or "86"; the stored and
 * compared form is always the bare 11 digits.
 *
 * Nothing here allocates: callers pass the output buffers.
 */
#ifndef PINGAN_BASE_MOBILE_H
#define PINGAN_BASE_MOBILE_H

#include "base/msg.h"

#define MOBILE_LEN 11
#define MOBILE_SIZE 12

/*
 * Validates s and writes its 11-digit form into out (out may be NULL to
 * only validate). Only digits are accepted, with an optional leading "+86"
 * or "86" (the latter recognised on 13-digit input); no spaces or hyphens.
 * Returns MSG_NONE, or M_MOBILE_BAD_CHAR, M_MOBILE_BAD_LENGTH (also for
 * NULL and "") or M_MOBILE_BAD_PREFIX, with out set to "".
 */
enum msg_id mobile_check(const char *s, char out[MOBILE_SIZE]);

/*
 * Writes the masked form shown in responses: first 3 and last 4 digits
 * visible ("138****5678"). Input that is not 11 characters becomes stars
 * of the same length (at most 11), and NULL becomes "".
 */
void mobile_mask(const char *s11, char out[MOBILE_SIZE]);

#endif
