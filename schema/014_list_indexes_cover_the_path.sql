-- A list filtered by state or category and by a division walks the state's
-- or category's events newest first and keeps those under the division.
-- The division path now rides along in those two indexes, so events of other
-- divisions are skipped in the index itself instead of each being read from
-- the table: at province scale a township holds 1/1350 of the events, and a
-- page of 20 meant some 27,000 random row reads (45-250 ms, bench/RESULTS.md).
DROP INDEX events_state;
CREATE INDEX events_state ON events(state, id, division_path);
DROP INDEX events_category;
CREATE INDEX events_category ON events(category_id, id, division_path);
