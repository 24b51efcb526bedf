/*
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): 6 digits,
 * 30-second steps, HMAC-SHA1 — what every authenticator app computes.
 */
#ifndef PINGAN_BASE_TOTP_H
#define PINGAN_BASE_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES 20
#define TOTP_STEP_S 30

/* The 6-digit code for a counter (RFC 4226). */
uint32_t hotp(const uint8_t *secret, size_t len, uint64_t counter);
/* Counter of an instant (epoch ms). */
uint64_t totp_counter(int64_t now_ms);
/*
 * Checks a 6-digit code against the steps now-1 .. now+1. Returns the
 * matching counter (> *last_used, to refuse replays) in *used, or false.
 */
bool totp_check(const uint8_t *secret, size_t len, const char *code, int64_t now_ms,
    uint64_t last_used, uint64_t *used);
/* RFC 4648 base32 without padding (what otpauth:// URIs carry). out needs 8*len/5+2 bytes. */
void base32_encode(const uint8_t *data, size_t len, char *out, size_t n);

#endif
