/*
 * SHA-1 and HMAC-SHA1, only for TOTP (RFC 6238): authenticator apps
 * compute HMAC-SHA1 codes, and libsodium offers no SHA-1. Never use it for
 * anything else.
 */
#ifndef PINGAN_BASE_SHA1_H
#define PINGAN_BASE_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_BYTES 20

void sha1(const uint8_t *data, size_t len, uint8_t out[SHA1_BYTES]);
void hmac_sha1(const uint8_t *key, size_t keylen, const uint8_t *msg, size_t len,
    uint8_t out[SHA1_BYTES]);

#endif
