-- The deadline scanner pages through open events by id, and the backlog
-- dashboard counts petitions and death cases; both scanned every event ever
-- reported (most of them closed), which grows without end. Closed events now
-- cost them nothing.
CREATE INDEX events_open ON events(id) WHERE closed_at IS NULL;
CREATE INDEX events_petition_death ON events(kind) WHERE kind IN ('petition', 'death');
