-- Statistics per division and day, kept by triggers in the same transaction as
-- every change to an event, so the dashboard adds up a few hundred counter rows
-- instead of scanning every event of a county (or a province) on each request.
--
-- One row per (level, division path, day): depth 0 is the county ('/330824/'),
-- 1 the township, 2 the village, 3 the grid; an event counts in the row of each
-- division above and at its own. The day is the China Standard Time (UTC+8)
-- calendar day of reported_at, counted from 1970-01-01. Each column is the sum,
-- over the day's events, of what the event contributes now (see the view's
-- trigger below); avg hours = dur_sum / dur_n.

CREATE TABLE event_day_stats (
    depth     INTEGER NOT NULL,
    path      TEXT    NOT NULL,
    day       INTEGER NOT NULL,
    received  INTEGER NOT NULL DEFAULT 0,   -- not rejected or merged
    closed    INTEGER NOT NULL DEFAULT 0,
    on_time   INTEGER NOT NULL DEFAULT 0,   -- closed within the deadline
    dur_sum   INTEGER NOT NULL DEFAULT 0,   -- ms from acceptance to closing, closed and accepted
    dur_n     INTEGER NOT NULL DEFAULT 0,
    returns   INTEGER NOT NULL DEFAULT 0,   -- sum of return_count
    satisfied INTEGER NOT NULL DEFAULT 0,   -- visits answered satisfied or basically
    visits    INTEGER NOT NULL DEFAULT 0,
    red       INTEGER NOT NULL DEFAULT 0,   -- red and still open
    PRIMARY KEY (depth, path, day)
) WITHOUT ROWID;

-- Length of a path prefix at each depth: codes have 6, 9, 12 and 15 digits.
CREATE TABLE event_stats_levels (depth INTEGER PRIMARY KEY, len INTEGER NOT NULL);
INSERT INTO event_stats_levels VALUES (0, 8), (1, 18), (2, 31), (3, 47);

-- Writing a row into this view adds (sign 1) or takes away (sign -1) one
-- event's contribution: the only place the contribution is defined.
CREATE VIEW event_stats_delta AS
SELECT 0 AS sign, '' AS path, 0 AS reported_at, '' AS state, 0 AS closed_on_time,
       0 AS accepted_at, 0 AS closed_at, 0 AS return_count, '' AS satisfaction, '' AS color
WHERE 0;

CREATE TRIGGER event_stats_delta_apply INSTEAD OF INSERT ON event_stats_delta
WHEN NEW.state NOT IN ('rejected', 'merged')
BEGIN
    INSERT INTO event_day_stats (depth, path, day, received, closed, on_time, dur_sum, dur_n,
                                 returns, satisfied, visits, red)
    SELECT l.depth, substr(NEW.path, 1, l.len), (NEW.reported_at + 28800000) / 86400000,
           NEW.sign,
           NEW.sign * (NEW.state = 'closed'),
           NEW.sign * (NEW.closed_on_time IS 1),
           CASE WHEN NEW.state = 'closed' AND NEW.accepted_at IS NOT NULL AND NEW.closed_at IS NOT NULL
                THEN NEW.sign * (NEW.closed_at - NEW.accepted_at) ELSE 0 END,
           CASE WHEN NEW.state = 'closed' AND NEW.accepted_at IS NOT NULL AND NEW.closed_at IS NOT NULL
                THEN NEW.sign ELSE 0 END,
           NEW.sign * NEW.return_count,
           NEW.sign * COALESCE(NEW.satisfaction IN ('satisfied', 'basically'), 0),
           NEW.sign * (NEW.satisfaction IS NOT NULL),
           NEW.sign * (NEW.color = 'red' AND NEW.closed_at IS NULL)
    FROM event_stats_levels l
    WHERE l.len <= length(NEW.path)
    ON CONFLICT (depth, path, day) DO UPDATE SET
        received = received + excluded.received, closed = closed + excluded.closed,
        on_time = on_time + excluded.on_time, dur_sum = dur_sum + excluded.dur_sum,
        dur_n = dur_n + excluded.dur_n, returns = returns + excluded.returns,
        satisfied = satisfied + excluded.satisfied, visits = visits + excluded.visits,
        red = red + excluded.red;
END;

CREATE TRIGGER events_stats_insert AFTER INSERT ON events
BEGIN
    INSERT INTO event_stats_delta VALUES (1, NEW.division_path, NEW.reported_at, NEW.state,
        NEW.closed_on_time, NEW.accepted_at, NEW.closed_at, NEW.return_count, NEW.satisfaction,
        NEW.color);
END;

CREATE TRIGGER events_stats_delete AFTER DELETE ON events
BEGIN
    INSERT INTO event_stats_delta VALUES (-1, OLD.division_path, OLD.reported_at, OLD.state,
        OLD.closed_on_time, OLD.accepted_at, OLD.closed_at, OLD.return_count, OLD.satisfaction,
        OLD.color);
END;

CREATE TRIGGER events_stats_update AFTER UPDATE OF division_path, reported_at, state,
    closed_on_time, accepted_at, closed_at, return_count, satisfaction, color ON events
WHEN OLD.division_path IS NOT NEW.division_path OR OLD.reported_at IS NOT NEW.reported_at
  OR OLD.state IS NOT NEW.state OR OLD.closed_on_time IS NOT NEW.closed_on_time
  OR OLD.accepted_at IS NOT NEW.accepted_at OR OLD.closed_at IS NOT NEW.closed_at
  OR OLD.return_count IS NOT NEW.return_count OR OLD.satisfaction IS NOT NEW.satisfaction
  OR OLD.color IS NOT NEW.color
BEGIN
    INSERT INTO event_stats_delta VALUES (-1, OLD.division_path, OLD.reported_at, OLD.state,
        OLD.closed_on_time, OLD.accepted_at, OLD.closed_at, OLD.return_count, OLD.satisfaction,
        OLD.color);
    INSERT INTO event_stats_delta VALUES (1, NEW.division_path, NEW.reported_at, NEW.state,
        NEW.closed_on_time, NEW.accepted_at, NEW.closed_at, NEW.return_count, NEW.satisfaction,
        NEW.color);
END;

-- The events already there.
INSERT INTO event_stats_delta
SELECT 1, division_path, reported_at, state, closed_on_time, accepted_at, closed_at, return_count,
       satisfaction, color
FROM events;
