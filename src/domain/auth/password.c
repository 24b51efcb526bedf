/* Password policy and argon2id hashing through libsodium. */
#include <sodium.h>
#include <string.h>

#include "base/err.h"
#include "base/parse.h"
#include "domain/auth/auth.h"

static struct auth_settings settings = {
	.opslimit = 2,
	.memlimit = 19456u * 1024u,
	.idle_ms = 30 * 60 * 1000,
	.absolute_ms = 12 * 3600 * 1000,
	.lockout_threshold = 5,
	.lockout_ms = 15 * 60 * 1000,
};

void
auth_configure(const struct auth_settings *s)
{
	settings = *s;
}

const struct auth_settings *
auth_settings(void)
{
	return &settings;
}

enum msg_id
password_policy_check(const char *pw, const char *username)
{
	int classes = 0;
	bool lower = false, upper = false, digit = false, other = false;

	if (!utf8_is_clean_text(pw, strlen(pw)))
		return M_PASSWORD_BAD_CHARS;
	if (utf8_length(pw) < 10)
		return M_PASSWORD_TOO_SHORT;
	if (strlen(pw) > 128)
		return M_PASSWORD_TOO_LONG;
	for (const char *p = pw; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			lower = true;
		else if (*p >= 'A' && *p <= 'Z')
			upper = true;
		else if (*p >= '0' && *p <= '9')
			digit = true;
		else
			other = true;
	}
	classes = lower + upper + digit + other;
	if (classes < 3)
		return M_PASSWORD_TOO_SIMPLE;
	if (username && *username && strstr(pw, username))
		return M_PASSWORD_HAS_USERNAME;
	return MSG_NONE;
}

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer too small");
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), settings.opslimit, settings.memlimit,
		crypto_pwhash_ALG_ARGON2ID13) != 0)
		return ERR_INTERNAL;
	return 0;
}

bool
password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}
