-- The deadline scanner visited every open event each minute to find the few
-- whose colour had changed: close to half a million at province scale, read
-- from a cold file inside the write lock, so reports waited behind it. Each
-- open event now carries the instant at which its colour can next change by
-- the clock alone (NULL: not before someone acts on it); the scanner reads
-- only the events that are due.
--
-- New events are written with their instant; anything that moves a clock
-- (state, acceptance, deadlines, a dispatch signed, finished, returned or
-- extended) sets it to 0, "look again at the next scan", through the
-- triggers below, so no write path can forget it. Existing rows start at 0:
-- the first scan after the upgrade visits every open event once.
ALTER TABLE events ADD COLUMN next_check_at INTEGER DEFAULT 0;
CREATE INDEX events_due ON events(next_check_at) WHERE closed_at IS NULL;
DROP INDEX events_open;

CREATE TRIGGER events_recheck AFTER UPDATE OF state, reported_at, accept_deadline, accepted_at,
    deadline_at, closed_at ON events
WHEN NEW.closed_at IS NULL AND NEW.next_check_at IS NOT 0
BEGIN
    UPDATE events SET next_check_at = 0 WHERE id = NEW.id;
END;

CREATE TRIGGER dispatches_recheck_insert AFTER INSERT ON dispatches
BEGIN
    UPDATE events SET next_check_at = 0
    WHERE id = NEW.event_id AND closed_at IS NULL AND next_check_at IS NOT 0;
END;

CREATE TRIGGER dispatches_recheck AFTER UPDATE OF active, sign_deadline, finish_deadline,
    signed_at, feedback_at ON dispatches
BEGIN
    UPDATE events SET next_check_at = 0
    WHERE id = NEW.event_id AND closed_at IS NULL AND next_check_at IS NOT 0;
END;

-- The scanner also flags petitions as backlog (积案) once overdue; it read
-- every petition ever filed to find them. Only open petitions not yet flagged
-- can become backlog, found by their deadline. A petition filed for the
-- third time is backlog from the start (intake flags it); those filed before
-- this version are flagged here.
CREATE INDEX events_petition_pending ON events(deadline_at)
WHERE kind = 'petition' AND backlog = 0 AND closed_at IS NULL;
UPDATE events INDEXED BY events_petition_pending SET backlog = 1
WHERE kind = 'petition' AND backlog = 0 AND closed_at IS NULL
  AND state NOT IN ('rejected', 'merged') AND repeat_count >= 3;
