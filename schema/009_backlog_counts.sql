-- The petition backlog (积案) and open death cases, counted per division and
-- level by triggers, so the leaders' board reads a few rows instead of every
-- petition and death case ever reported (close to two million at province
-- scale). Depths and path prefixes as in 006; no time dimension: the board
-- shows the whole backlog. Ordinary events (neither petition nor death case
-- nor backlog) never touch this table.

CREATE TABLE backlog_counts (
    depth         INTEGER NOT NULL,
    path          TEXT    NOT NULL,
    backlog       INTEGER NOT NULL DEFAULT 0,   -- flagged as backlog
    backlog_open  INTEGER NOT NULL DEFAULT 0,   -- of them still open (not rejected or merged)
    cleared       INTEGER NOT NULL DEFAULT 0,   -- of them closed: the zeroing progress
    petitions     INTEGER NOT NULL DEFAULT 0,   -- open petitions
    national      INTEGER NOT NULL DEFAULT 0,   -- of them at the national level
    deaths        INTEGER NOT NULL DEFAULT 0,   -- open death cases
    PRIMARY KEY (depth, path)
) WITHOUT ROWID;

CREATE VIEW backlog_delta AS
SELECT 0 AS sign, '' AS path, '' AS kind, 0 AS backlog, '' AS state, 0 AS closed_at,
       '' AS petition_level
WHERE 0;

CREATE TRIGGER backlog_delta_apply INSTEAD OF INSERT ON backlog_delta
WHEN NEW.kind IN ('petition', 'death') OR NEW.backlog = 1
BEGIN
    INSERT INTO backlog_counts (depth, path, backlog, backlog_open, cleared, petitions, national,
                                deaths)
    SELECT l.depth, substr(NEW.path, 1, l.len),
           NEW.sign * (NEW.backlog = 1),
           NEW.sign * (NEW.backlog = 1 AND NEW.closed_at IS NULL
                       AND NEW.state NOT IN ('rejected', 'merged')),
           NEW.sign * (NEW.backlog = 1 AND NEW.closed_at IS NOT NULL),
           NEW.sign * (NEW.kind = 'petition' AND NEW.closed_at IS NULL
                       AND NEW.state NOT IN ('rejected', 'merged')),
           NEW.sign * (NEW.kind = 'petition' AND NEW.closed_at IS NULL
                       AND NEW.state NOT IN ('rejected', 'merged')
                       AND NEW.petition_level IS 'national'),
           NEW.sign * (NEW.kind = 'death' AND NEW.closed_at IS NULL
                       AND NEW.state NOT IN ('rejected', 'merged'))
    FROM event_stats_levels l
    WHERE l.len <= length(NEW.path)
    ON CONFLICT (depth, path) DO UPDATE SET
        backlog = backlog + excluded.backlog, backlog_open = backlog_open + excluded.backlog_open,
        cleared = cleared + excluded.cleared, petitions = petitions + excluded.petitions,
        national = national + excluded.national, deaths = deaths + excluded.deaths;
END;

CREATE TRIGGER events_backlog_insert AFTER INSERT ON events
BEGIN
    INSERT INTO backlog_delta VALUES (1, NEW.division_path, NEW.kind, NEW.backlog, NEW.state,
        NEW.closed_at, NEW.petition_level);
END;

CREATE TRIGGER events_backlog_delete AFTER DELETE ON events
BEGIN
    INSERT INTO backlog_delta VALUES (-1, OLD.division_path, OLD.kind, OLD.backlog, OLD.state,
        OLD.closed_at, OLD.petition_level);
END;

CREATE TRIGGER events_backlog_update AFTER UPDATE OF division_path, kind, backlog, state,
    closed_at, petition_level ON events
WHEN OLD.division_path IS NOT NEW.division_path OR OLD.kind IS NOT NEW.kind
  OR OLD.backlog IS NOT NEW.backlog OR OLD.state IS NOT NEW.state
  OR OLD.closed_at IS NOT NEW.closed_at OR OLD.petition_level IS NOT NEW.petition_level
BEGIN
    INSERT INTO backlog_delta VALUES (-1, OLD.division_path, OLD.kind, OLD.backlog, OLD.state,
        OLD.closed_at, OLD.petition_level);
    INSERT INTO backlog_delta VALUES (1, NEW.division_path, NEW.kind, NEW.backlog, NEW.state,
        NEW.closed_at, NEW.petition_level);
END;

-- The events already there.
INSERT INTO backlog_delta
SELECT 1, division_path, kind, backlog, state, closed_at, petition_level FROM events
WHERE kind IN ('petition', 'death') OR backlog = 1;
