/* Whole-file reading for the CLI and the demo loader. */
#ifndef PINGAN_BASE_FILE_H
#define PINGAN_BASE_FILE_H

#include <stddef.h>

/* Reads at most max bytes of path into *out (NUL-terminated; caller frees). */
int file_read_all(const char *path, size_t max, char **out, size_t *len);

#endif
