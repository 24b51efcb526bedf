/* Text form of random tokens: an optional prefix and base64url without padding. */
#ifndef PINGAN_DOMAIN_AUTH_TOKEN_TEXT_H
#define PINGAN_DOMAIN_AUTH_TOKEN_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* API tokens start with this, so the server knows which table to look in. */
#define API_TOKEN_PREFIX "pat_"

void token_encode(const char *prefix, const uint8_t *raw, size_t n, char *out, size_t outlen);

#endif
