/*
 * Idempotency-Key on any POST (DESIGN.md section 4): a client that retries
 * after a lost answer creates nothing twice and gets the first answer again.
 */
#include "client.h"

#include <pthread.h>
#include <stdio.h>

static struct resp *
token_with_key(struct fixture *s, const char *session, const char *name, const char *key)
{
	struct request rq = { .method = "POST", .path = "/api/v1/tokens", .bearer = session,
		.body = jfmt("{s:s, s:[s]}", "name", name, "permissions", "user.read"),
		.headers = { tfmt("Idempotency-Key: %s", key) } };

	return http(s, &rq);
}

/* How many of the user's tokens are called name. */
static int
tokens_named(struct fixture *s, const char *session, const char *name)
{
	struct resp *r = api_get(s, session, "/api/v1/tokens");
	size_t i;
	json_t *t;
	int n = 0;

	json_array_foreach(jget(r->json, "items"), i, t)
		n += jstr(t, "name") && strcmp(jstr(t, "name"), name) == 0;
	return r->status == 200 ? n : -1;
}

TEST(idempotency_same_key_twice_creates_one_token_and_answers_the_same)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("idem-token-"), *key = uniq("idem-key-"), *center;
	struct resp *a, *b;

	CHECK(s != NULL);
	center = session_of(s, "center");
	a = token_with_key(s, center, name, key);
	CHECK_INT(a->status, 201);
	CHECK(jint(a->json, "id", 0) > 0);
	b = token_with_key(s, center, name, key);
	CHECK_INT(b->status, a->status);
	CHECK_INT(jint(b->json, "id", 0), jint(a->json, "id", 0));
	CHECK_STR(jstr(b->json, "token"), jstr(a->json, "token"));
	CHECK_STR(b->body, a->body);
	CHECK_INT(tokens_named(s, center, name), 1);
	/* A new key is a new request. */
	CHECK_INT(token_with_key(s, center, name, uniq("idem-key-"))->status, 201);
	CHECK_INT(tokens_named(s, center, name), 2);
}

/* The replayed answer is the first answer: headers such as Location included. */
TEST(idempotency_replay_keeps_the_location_header)
{
	struct fixture *s = fixture_shared();
	const char *key = uniq("idem-key-"), *center;
	struct resp *a, *b;

	CHECK(s != NULL);
	center = session_of(s, "center");
	a = token_with_key(s, center, uniq("idem-token-"), key);
	CHECK_INT(a->status, 201);
	CHECK(resp_header(a, "Location") != NULL);
	b = token_with_key(s, center, uniq("idem-token-"), key);
	CHECK_INT(b->status, 201);
	CHECK(resp_header(b, "Location") != NULL);
	CHECK_STR(resp_header(b, "Location"), resp_header(a, "Location"));
}

TEST(idempotency_keys_belong_to_their_user)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("idem-token-"), *key = uniq("idem-key-");
	struct resp *a, *b;

	CHECK(s != NULL);
	a = token_with_key(s, session_of(s, "center"), name, key);
	b = token_with_key(s, session_of(s, "admin"), name, key);
	CHECK_INT(a->status, 201);
	CHECK_INT(b->status, 201);
	CHECK(jint(a->json, "id", 0) != jint(b->json, "id", 0));
	CHECK_INT(tokens_named(s, session_of(s, "center"), name), 1);
	CHECK_INT(tokens_named(s, session_of(s, "admin"), name), 1);
}

TEST(idempotency_key_used_on_another_route_is_409)
{
	struct fixture *s = fixture_shared();
	const char *key = uniq("idem-key-"), *center;
	struct request rq = { .method = "POST", .path = "/api/v1/events" };
	struct resp *r;

	CHECK(s != NULL);
	center = session_of(s, "center");
	CHECK_INT(token_with_key(s, center, uniq("idem-token-"), key)->status, 201);
	rq.bearer = center;
	rq.body = report_body("330824", "dispute.neighbour", uniq("换路由"));
	rq.headers[0] = tfmt("Idempotency-Key: %s", key);
	r = http(s, &rq);
	CHECK_FIELD_ERROR(r, 409, "conflict", "Idempotency-Key");
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/tokens", center, "{}"), 422,
	    "validation_failed", "name");
	/* A bad key is refused before anything runs. */
	rq.path = "/api/v1/tokens";
	rq.body = jfmt("{s:s, s:[s]}", "name", uniq("idem-token-"), "permissions", "user.read");
	rq.headers[0] = "Idempotency-Key: has spaces in it";
	CHECK_FIELD_ERROR(http(s, &rq), 422, "validation_failed", "Idempotency-Key");
}

#define RACERS 8

struct racer {
	struct fixture *s;
	const char *session, *name, *key;
	long status;
	long long id;
};

static void *
race(void *arg)
{
	struct racer *w = arg;
	struct resp *r = token_with_key(w->s, w->session, w->name, w->key);

	w->status = r->status;
	w->id = jint(r->json, "id", 0);
	return NULL;
}

TEST(idempotency_eight_retries_at_once_create_one_token)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("idem-race-"), *key = uniq("idem-key-");
	struct racer w[RACERS];
	pthread_t t[RACERS];

	CHECK(s != NULL);
	for (int i = 0; i < RACERS; i++)
		w[i] = (struct racer){ s, session_of(s, "center"), name, key, 0, 0 };
	for (int i = 0; i < RACERS; i++)
		CHECK_INT(pthread_create(&t[i], NULL, race, &w[i]), 0);
	for (int i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < RACERS; i++) {
		CHECK_INT(w[i].status, 201);
		CHECK_INT(w[i].id, w[0].id);
	}
	CHECK_INT(tokens_named(s, session_of(s, "center"), name), 1);
}
