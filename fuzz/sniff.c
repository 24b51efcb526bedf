/*
 * attachment_sniff(): the type of an upload judged by its first bytes
 * (POST /events/{id}/attachments). Only JPEG, PNG and PDF pass, and only
 * when the bytes say so.
 */
#include <string.h>

#include "domain/event/attachment.h"
#include "support/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *mime = attachment_sniff(data, size);

	if (mime == NULL)
		return 0;
	if (strcmp(mime, "image/jpeg") == 0)
		FUZZ_CHECK(size >= 3 && data[0] == 0xff && data[1] == 0xd8, "not a JPEG");
	else if (strcmp(mime, "image/png") == 0)
		FUZZ_CHECK(size >= 8 && memcmp(data, "\x89PNG", 4) == 0, "not a PNG");
	else
		FUZZ_CHECK(strcmp(mime, "application/pdf") == 0 && size >= 5 &&
		    memcmp(data, "%PDF-", 5) == 0, "%s for bytes that are not one", mime);
	return 0;
}
