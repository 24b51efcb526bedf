/*
 * GB 32100-2015 unified social credit codes (统一社会信用代码): 18
 * characters from the alphabet 0-9 A-H J-N P-R T U W-Y (values 0..30), the
 * last a check character over the first 17.
 */
#ifndef PINGAN_BASE_USCC_H
#define PINGAN_BASE_USCC_H

#include "base/msg.h"

#define USCC_LEN 18

/*
 * Validates a code. Returns MSG_NONE when valid, otherwise
 * M_USCC_BAD_LENGTH (also for NULL), M_USCC_BAD_CHAR (a character outside
 * the alphabet; lower-case letters are refused too) or M_USCC_BAD_CHECK.
 */
enum msg_id uscc_check(const char *s);

/*
 * The check character for the first 17 characters of s, which must all be
 * in the alphabet; '\0' when one is not.
 */
char uscc_check_char(const char *s);

#endif
