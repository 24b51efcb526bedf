/* A small libcurl client: one keep-alive handle per thread, answers owned by the caller. */
#include "rel.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rel_http {
	CURL *e;
	char base[64];
	char source[64];
};

struct collect {
	char *p;
	size_t len, cap;
};

static size_t
on_body(char *data, size_t size, size_t nmemb, void *cls)
{
	struct collect *c = cls;
	size_t n = size * nmemb;

	if (c->len + n + 1 > c->cap) {
		size_t cap = c->cap ? c->cap : 4096;
		char *q;

		while (c->len + n + 1 > cap)
			cap *= 2;
		q = realloc(c->p, cap);
		if (q == NULL)
			return 0;
		c->p = q;
		c->cap = cap;
	}
	memcpy(c->p + c->len, data, n);
	c->len += n;
	return n;
}

struct rel_http *
rel_http_new(const char *base)
{
	struct rel_http *h = calloc(1, sizeof *h);

	if (h == NULL)
		abort();
	h->e = curl_easy_init();
	if (h->e == NULL)
		abort();
	snprintf(h->base, sizeof h->base, "%s", base);
	return h;
}

void
rel_http_free(struct rel_http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->e);
	free(h);
}

void
rel_http_set_source(struct rel_http *h, const char *ip)
{
	if (ip)
		snprintf(h->source, sizeof h->source, "host!%s", ip);
	else
		h->source[0] = '\0';
}

void
rel_request(struct rel_http *h, const char *method, const char *path, const char *token,
    const char *body, const char *const *headers, long timeout_ms, struct rel_resp *r)
{
	struct curl_slist *hl = NULL;
	struct collect c = { NULL, 0, 0 };
	char url[512], auth[160];
	long long t0 = rel_now_ms();
	CURL *e = h->e;

	memset(r, 0, sizeof *r);
	curl_easy_reset(e);
	snprintf(url, sizeof url, "%s%s", h->base, path);
	if (body)
		hl = curl_slist_append(hl, "Content-Type: application/json");
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		hl = curl_slist_append(hl, auth);
	}
	for (int i = 0; headers && headers[i] && i < 4; i++)
		hl = curl_slist_append(hl, headers[i]);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 30000L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 30000L);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &c);
	curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	if (h->source[0])
		curl_easy_setopt(e, CURLOPT_INTERFACE, h->source);
	if (body) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	}
	if (curl_easy_perform(e) == CURLE_OK)
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hl);
	r->body = c.p ? c.p : calloc(1, 1);
	if (r->body == NULL)
		abort();
	r->len = c.len;
	r->body[c.len] = '\0';
	r->json = json_loadb(r->body, r->len, 0, NULL);
	r->ms = rel_now_ms() - t0;
}

void
rel_resp_release(struct rel_resp *r)
{
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof *r);
}

json_t *
rel_jget(json_t *root, const char *path)
{
	json_t *cur = root;
	const char *p = path;
	char key[64];

	while (cur && *p) {
		size_t n = strcspn(p, ".");

		if (n >= sizeof key)
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		if (json_is_array(cur))
			cur = json_array_get(cur, strtoul(key, NULL, 10));
		else
			cur = json_object_get(cur, key);
		p += n;
		if (*p == '.')
			p++;
	}
	return cur;
}

const char *
rel_jstr(json_t *root, const char *path)
{
	return json_string_value(rel_jget(root, path));
}

long long
rel_jint(json_t *root, const char *path, long long def)
{
	json_t *v = rel_jget(root, path);

	return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

int
rel_signin(struct rel_http *h, const char *user, const char *password, char *out, size_t n)
{
	json_t *b = json_pack("{s:s, s:s}", "username", user, "password", password);
	char *body = json_dumps(b, JSON_COMPACT);
	struct rel_resp r;
	int rc = -1;

	rel_request(h, "POST", "/api/v1/session", NULL, body, NULL, 20000, &r);
	if (r.status == 201 && rel_jstr(r.json, "token")) {
		snprintf(out, n, "%s", rel_jstr(r.json, "token"));
		rc = 0;
	} else {
		printf("    sign-in %s: %ld %s\n", user, r.status, r.body);
	}
	rel_resp_release(&r);
	free(body);
	json_decref(b);
	return rc;
}

static char *
event_body(const char *title, size_t description_chars)
{
	size_t n = description_chars * 3 + 1;
	char *desc = malloc(n), *s;
	json_t *b;

	if (desc == NULL)
		abort();
	for (size_t i = 0; i < description_chars; i++)
		memcpy(desc + 3 * i, "纠", 3);
	desc[n - 1] = '\0';
	b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[{s:s}]}", "channel", "hotline",
	    "category_code", "dispute.neighbour", "title", title, "division_code", "330824115205001",
	    "reporter_name", "张三", "description", desc, "parties", "name", "李四");
	s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	free(desc);
	return s;
}

long
rel_post_event(struct rel_http *h, const char *token, const char *title, size_t description_chars,
    struct rel_resp *r)
{
	char *body = event_body(title, description_chars);

	rel_request(h, "POST", "/api/v1/events", token, body, NULL, 20000, r);
	free(body);
	return r->status;
}

bool
rel_error_is(const struct rel_resp *r, long status, const char *code, const char *message)
{
	const char *c = rel_jstr(r->json, "error.code"), *m = rel_jstr(r->json, "error.message");

	if (r->status == status && c && strcmp(c, code) == 0 && m && strcmp(m, message) == 0)
		return true;
	printf("    expected %ld %s \"%s\", got %ld %.300s\n", status, code, message, r->status,
	    r->body);
	return false;
}

