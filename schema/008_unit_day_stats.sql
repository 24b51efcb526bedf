-- Statistics per unit, county and day or month of dispatch, kept by triggers
-- like the division counters of 006, so a ranking of every unit of a province
-- adds up counter rows instead of joining every dispatch with its event.
--
-- Two rows per (unit, county path of the event): span 0 for the China Standard
-- Time day of dispatched_at (period = days since 1970-01-01), span 1 for its
-- month (period = year * 12 + month - 1); a province's units have some 3,000 x
-- 365 day rows a year but only 3,000 x 12 month rows. A dispatch contributes:
--   received  1 when it is the unit's first dispatch of the event (a case sent
--             back and dispatched to the same unit again is received once)
--   closed    lead and fed back; on_time: also within its finish deadline
--   dur_sum   ms from dispatch to feedback (lead, fed back); dur_n: how many
--   returns   lead and returned; red: still active and red
-- Dispatches are evidence and are never deleted (a trigger refuses it), which
-- keeps "first dispatch" stable.

CREATE TABLE unit_stats (
    span     INTEGER NOT NULL,   -- 0 day, 1 month
    period   INTEGER NOT NULL,
    unit_id  INTEGER NOT NULL,
    county   TEXT    NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    closed   INTEGER NOT NULL DEFAULT 0,
    on_time  INTEGER NOT NULL DEFAULT 0,
    dur_sum  INTEGER NOT NULL DEFAULT 0,
    dur_n    INTEGER NOT NULL DEFAULT 0,
    returns  INTEGER NOT NULL DEFAULT 0,
    red      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (span, period, unit_id, county)
) WITHOUT ROWID;

CREATE INDEX dispatches_at ON dispatches(dispatched_at);

-- Writing a row adds (sign 1) or takes away (sign -1) one dispatch's contribution.
CREATE VIEW unit_stats_delta AS
SELECT 0 AS sign, 0 AS dispatch_id, 0 AS event_id, 0 AS unit_id, 0 AS lead, 0 AS dispatched_at,
       0 AS finish_deadline, 0 AS feedback_at, 0 AS returned_at, 0 AS active, '' AS color,
       '' AS county
WHERE 0;

CREATE TRIGGER unit_stats_delta_apply INSTEAD OF INSERT ON unit_stats_delta
WHEN NEW.county IS NOT NULL
BEGIN
    INSERT INTO unit_stats (span, period, unit_id, county, received, closed, on_time, dur_sum,
                            dur_n, returns, red)
    SELECT p.span, p.period, NEW.unit_id, NEW.county,
        NEW.sign * NOT EXISTS (SELECT 1 FROM dispatches y WHERE y.event_id = NEW.event_id
                               AND y.unit_id = NEW.unit_id AND y.id < NEW.dispatch_id),
        NEW.sign * (NEW.lead = 1 AND NEW.feedback_at IS NOT NULL),
        NEW.sign * ((NEW.lead = 1 AND NEW.feedback_at <= NEW.finish_deadline) IS 1),
        CASE WHEN NEW.lead = 1 AND NEW.feedback_at IS NOT NULL
             THEN NEW.sign * (NEW.feedback_at - NEW.dispatched_at) ELSE 0 END,
        NEW.sign * (NEW.lead = 1 AND NEW.feedback_at IS NOT NULL),
        NEW.sign * (NEW.lead = 1 AND NEW.returned_at IS NOT NULL),
        NEW.sign * (NEW.active = 1 AND NEW.color = 'red')
    FROM (SELECT 0 AS span, (NEW.dispatched_at + 28800000) / 86400000 AS period
          UNION ALL
          SELECT 1, CAST(strftime('%Y', NEW.dispatched_at / 1000 + 28800, 'unixepoch') AS INTEGER) * 12
                    + CAST(strftime('%m', NEW.dispatched_at / 1000 + 28800, 'unixepoch') AS INTEGER) - 1) p
    WHERE true
    ON CONFLICT (span, period, unit_id, county) DO UPDATE SET
        received = received + excluded.received, closed = closed + excluded.closed,
        on_time = on_time + excluded.on_time, dur_sum = dur_sum + excluded.dur_sum,
        dur_n = dur_n + excluded.dur_n, returns = returns + excluded.returns,
        red = red + excluded.red;
END;

CREATE TRIGGER dispatches_stats_insert AFTER INSERT ON dispatches
BEGIN
    INSERT INTO unit_stats_delta SELECT 1, NEW.id, NEW.event_id, NEW.unit_id, NEW.lead,
        NEW.dispatched_at, NEW.finish_deadline, NEW.feedback_at, NEW.returned_at, NEW.active,
        NEW.color, substr(e.division_path, 1, 8) FROM events e WHERE e.id = NEW.event_id;
END;

CREATE TRIGGER dispatches_stats_update AFTER UPDATE OF event_id, unit_id, lead, dispatched_at,
    finish_deadline, feedback_at, returned_at, active, color ON dispatches
WHEN OLD.event_id IS NOT NEW.event_id OR OLD.unit_id IS NOT NEW.unit_id OR OLD.lead IS NOT NEW.lead
  OR OLD.dispatched_at IS NOT NEW.dispatched_at OR OLD.finish_deadline IS NOT NEW.finish_deadline
  OR OLD.feedback_at IS NOT NEW.feedback_at OR OLD.returned_at IS NOT NEW.returned_at
  OR OLD.active IS NOT NEW.active OR OLD.color IS NOT NEW.color
BEGIN
    INSERT INTO unit_stats_delta SELECT -1, OLD.id, OLD.event_id, OLD.unit_id, OLD.lead,
        OLD.dispatched_at, OLD.finish_deadline, OLD.feedback_at, OLD.returned_at, OLD.active,
        OLD.color, substr(e.division_path, 1, 8) FROM events e WHERE e.id = OLD.event_id;
    INSERT INTO unit_stats_delta SELECT 1, NEW.id, NEW.event_id, NEW.unit_id, NEW.lead,
        NEW.dispatched_at, NEW.finish_deadline, NEW.feedback_at, NEW.returned_at, NEW.active,
        NEW.color, substr(e.division_path, 1, 8) FROM events e WHERE e.id = NEW.event_id;
END;

CREATE TRIGGER dispatches_kept BEFORE DELETE ON dispatches
BEGIN
    SELECT RAISE(ABORT, 'dispatches are kept as evidence');
END;

-- An event moved to a division of another county takes its dispatches along.
CREATE TRIGGER events_unit_stats_move AFTER UPDATE OF division_path ON events
WHEN substr(OLD.division_path, 1, 8) IS NOT substr(NEW.division_path, 1, 8)
BEGIN
    INSERT INTO unit_stats_delta SELECT -1, x.id, x.event_id, x.unit_id, x.lead,
        x.dispatched_at, x.finish_deadline, x.feedback_at, x.returned_at, x.active, x.color,
        substr(OLD.division_path, 1, 8) FROM dispatches x WHERE x.event_id = NEW.id;
    INSERT INTO unit_stats_delta SELECT 1, x.id, x.event_id, x.unit_id, x.lead,
        x.dispatched_at, x.finish_deadline, x.feedback_at, x.returned_at, x.active, x.color,
        substr(NEW.division_path, 1, 8) FROM dispatches x WHERE x.event_id = NEW.id;
END;

-- Satisfaction of the visits to events each unit led, all time (the ranking's
-- satisfaction rate): one row per unit.
CREATE TABLE unit_satisfaction (
    unit_id   INTEGER PRIMARY KEY,
    satisfied INTEGER NOT NULL DEFAULT 0,   -- satisfied or basically
    visits    INTEGER NOT NULL DEFAULT 0
);

CREATE VIEW unit_satisfaction_delta AS
SELECT 0 AS sign, 0 AS unit_id, '' AS satisfaction WHERE 0;

CREATE TRIGGER unit_satisfaction_delta_apply INSTEAD OF INSERT ON unit_satisfaction_delta
WHEN NEW.unit_id IS NOT NULL AND NEW.satisfaction IS NOT NULL
BEGIN
    INSERT INTO unit_satisfaction (unit_id, satisfied, visits)
    VALUES (NEW.unit_id, NEW.sign * (NEW.satisfaction IN ('satisfied', 'basically')), NEW.sign)
    ON CONFLICT (unit_id) DO UPDATE SET satisfied = satisfied + excluded.satisfied,
        visits = visits + excluded.visits;
END;

CREATE TRIGGER events_satisfaction_insert AFTER INSERT ON events
BEGIN
    INSERT INTO unit_satisfaction_delta VALUES (1, NEW.lead_unit_id, NEW.satisfaction);
END;

CREATE TRIGGER events_satisfaction_update AFTER UPDATE OF lead_unit_id, satisfaction ON events
WHEN OLD.lead_unit_id IS NOT NEW.lead_unit_id OR OLD.satisfaction IS NOT NEW.satisfaction
BEGIN
    INSERT INTO unit_satisfaction_delta VALUES (-1, OLD.lead_unit_id, OLD.satisfaction);
    INSERT INTO unit_satisfaction_delta VALUES (1, NEW.lead_unit_id, NEW.satisfaction);
END;

CREATE TRIGGER events_satisfaction_delete AFTER DELETE ON events
BEGIN
    INSERT INTO unit_satisfaction_delta VALUES (-1, OLD.lead_unit_id, OLD.satisfaction);
END;

-- The dispatches and visits already there.
INSERT INTO unit_satisfaction_delta SELECT 1, lead_unit_id, satisfaction FROM events
WHERE lead_unit_id IS NOT NULL AND satisfaction IS NOT NULL;

INSERT INTO unit_stats_delta SELECT 1, x.id, x.event_id, x.unit_id, x.lead, x.dispatched_at,
    x.finish_deadline, x.feedback_at, x.returned_at, x.active, x.color,
    substr(e.division_path, 1, 8)
FROM dispatches x JOIN events e ON e.id = x.event_id;
