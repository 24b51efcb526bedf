-- Case numbers carry the county of the event's division (a province or a
-- city runs many counties on one server), and each county numbers its own
-- day: the counters are now kept per county and day ("330824-20261128").
-- Today's counter of the configured county starts again under its new key;
-- intake skips the numbers already given out, once.
ALTER TABLE case_counters RENAME COLUMN day TO series;
