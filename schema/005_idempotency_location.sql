-- A replayed answer carries the Location header of the first one.
ALTER TABLE idempotency_keys ADD COLUMN location TEXT NOT NULL DEFAULT '';
