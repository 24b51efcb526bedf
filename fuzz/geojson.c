/*
 * GeoJSON geometries: the outline of a division in POST /divisions,
 * PATCH /divisions/{code} and each feature of POST /divisions/outlines
 * goes through geojson_check_geometry(). An accepted geometry must give
 * a finite point inside the coordinate ranges.
 */
#include <math.h>
#include <stdlib.h>

#include "domain/org/division.h"
#include "support/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *g = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	double lat = 1000, lng = 1000;

	if (g == NULL)
		return 0;
	if (geojson_check_geometry(g, &lat, &lng) == MSG_NONE)
		FUZZ_CHECK(isfinite(lat) && isfinite(lng) && fabs(lat) <= 90 && fabs(lng) <= 180,
		    "accepted geometry centred at %g,%g", lat, lng);
	/* A FeatureCollection's features, as the outlines import walks them. */
	{
		json_t *features = json_object_get(g, "features"), *ft;
		size_t i;

		json_array_foreach(features, i, ft)
			(void)geojson_check_geometry(json_object_get(ft, "geometry"), &lat, &lng);
	}
	json_decref(g);
	return 0;
}
