/*
 * The one error idiom: functions return 0 on success or a negative
 * enum err_code. Each code carries the HTTP status and the stable error
 * code string of DESIGN.md section 4, so every layer speaks the same list.
 */
#ifndef PINGAN_BASE_ERR_H
#define PINGAN_BASE_ERR_H

/*        name              status  code string */
#define ERR_LIST(X)                                            \
	X(ERR_MALFORMED,        400, "malformed_request")      \
	X(ERR_UNAUTHORIZED,     401, "unauthorized")           \
	X(ERR_FORBIDDEN,        403, "forbidden")              \
	X(ERR_NOT_FOUND,        404, "not_found")              \
	X(ERR_METHOD,           405, "method_not_allowed")     \
	X(ERR_CONFLICT,         409, "conflict")               \
	X(ERR_STALE,            412, "precondition_failed")    \
	X(ERR_TOO_LARGE,        413, "payload_too_large")      \
	X(ERR_MEDIA_TYPE,       415, "unsupported_media_type") \
	X(ERR_INVALID,          422, "validation_failed")      \
	X(ERR_LOCKED,           423, "account_locked")         \
	X(ERR_RATE_LIMITED,     429, "rate_limited")           \
	X(ERR_HEADERS_TOO_LARGE, 431, "headers_too_large")     \
	X(ERR_INTERNAL,         500, "internal_error")         \
	X(ERR_STORAGE,          503, "storage_unavailable")

enum err_code {
	ERR_OK = 0,
#define X(name, status, str) name,
	ERR_FIRST_ = -1000,
	ERR_LIST(X)
#undef X
};

/* HTTP status for an error code (500 for anything unknown). */
int err_status(int code);
/* Stable machine-readable string for an error code ("internal_error" if unknown). */
const char *err_string(int code);

#endif
