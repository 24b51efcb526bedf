#include "base/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"

int
keyfile_create(const char *path)
{
	uint8_t key[KEYFILE_BYTES];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ssize_t n;

	if (fd < 0)
		return errno == EEXIST ? ERR_CONFLICT : ERR_STORAGE;
	randombytes_buf(key, sizeof key);
	n = write(fd, key, sizeof key);
	sodium_memzero(key, sizeof key);
	if (n != (ssize_t)sizeof key || fsync(fd) != 0) {
		close(fd);
		unlink(path);
		return ERR_STORAGE;
	}
	return close(fd) == 0 ? 0 : ERR_STORAGE;
}

int
keyfile_load(const char *path, uint8_t master[KEYFILE_BYTES], char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		snprintf(err, errlen, "cannot open key file %s: %s", path, strerror(errno));
		return ERR_NOT_FOUND;
	}
	if (fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
		snprintf(err, errlen, "key file %s must be mode 0600 (owner only)", path);
		close(fd);
		return ERR_FORBIDDEN;
	}
	n = read(fd, master, KEYFILE_BYTES);
	close(fd);
	if (n != KEYFILE_BYTES) {
		snprintf(err, errlen, "key file %s is not %d bytes", path, KEYFILE_BYTES);
		return ERR_INVALID;
	}
	return 0;
}

void
keyfile_derive(const uint8_t master[KEYFILE_BYTES], enum key_purpose p,
    uint8_t out[KEYFILE_BYTES])
{
	crypto_kdf_derive_from_key(out, KEYFILE_BYTES, (uint64_t)p, "pingan__", master);
}
