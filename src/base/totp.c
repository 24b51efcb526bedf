#include "base/totp.h"

#include <stdio.h>
#include <string.h>

#include "base/sha1.h"

uint32_t
hotp(const uint8_t *secret, size_t len, uint64_t counter)
{
	uint8_t msg[8], mac[SHA1_BYTES];
	uint32_t bin;
	int off;

	for (int i = 0; i < 8; i++)
		msg[i] = (uint8_t)(counter >> (56 - 8 * i));
	hmac_sha1(secret, len, msg, sizeof msg, mac);
	off = mac[SHA1_BYTES - 1] & 0x0f;
	bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
	    (uint32_t)mac[off + 2] << 8 | mac[off + 3];
	return bin % 1000000;
}

uint64_t
totp_counter(int64_t now_ms)
{
	return (uint64_t)(now_ms / 1000 / TOTP_STEP_S);
}

bool
totp_check(const uint8_t *secret, size_t len, const char *code, int64_t now_ms,
    uint64_t last_used, uint64_t *used)
{
	uint64_t now = totp_counter(now_ms);
	uint32_t want = 0;

	if (code == NULL || strlen(code) != 6)
		return false;
	for (int i = 0; i < 6; i++) {
		if (code[i] < '0' || code[i] > '9')
			return false;
		want = want * 10 + (uint32_t)(code[i] - '0');
	}
	for (uint64_t c = now - 1; c <= now + 1; c++) {
		if (c > last_used && hotp(secret, len, c) == want) {
			*used = c;
			return true;
		}
	}
	return false;
}

void
base32_encode(const uint8_t *data, size_t len, char *out, size_t n)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t o = 0;
	uint32_t buf = 0;
	int bits = 0;

	for (size_t i = 0; i < len; i++) {
		buf = (buf << 8) | data[i];
		bits += 8;
		while (bits >= 5 && o + 1 < n) {
			out[o++] = alphabet[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0 && o + 1 < n)
		out[o++] = alphabet[(buf << (5 - bits)) & 31];
	out[o] = '\0';
}
