/* Password policy and argon2id hashing through libsodium. */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

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

/*
 * Each argon2id computation holds memlimit (19 MiB and more) for its whole run
 * and keeps a core busy. More of them at once than there are cores only adds
 * memory (sixteen sign-ins in flight were 300 MiB), so they take turns, one
 * per core.
 */
static pthread_mutex_t hash_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hash_turn = PTHREAD_COND_INITIALIZER;
static int hashing, hash_slots;

static void
hash_enter(void)
{
	pthread_mutex_lock(&hash_lock);
	if (hash_slots == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		hash_slots = n > 0 && n < 256 ? (int)n : 2;
	}
	while (hashing >= hash_slots)
		pthread_cond_wait(&hash_turn, &hash_lock);
	hashing++;
	pthread_mutex_unlock(&hash_lock);
}

static void
hash_leave(void)
{
	pthread_mutex_lock(&hash_lock);
	hashing--;
	pthread_cond_signal(&hash_turn);
	pthread_mutex_unlock(&hash_lock);
}

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	int rc;

	_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer too small");
	hash_enter();
	rc = crypto_pwhash_str_alg(out, pw, strlen(pw), settings.opslimit, settings.memlimit,
	    crypto_pwhash_ALG_ARGON2ID13);
	hash_leave();
	return rc != 0 ? ERR_INTERNAL : 0;
}

bool
password_verify(const char *hash, const char *pw)
{
	int rc;

	hash_enter();
	rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	hash_leave();
	return rc == 0;
}
