-- Organisation: grid workers' grids and duties, search indexes for divisions and units.

ALTER TABLE users ADD COLUMN duties TEXT NOT NULL DEFAULT '';   -- comma-separated duty names

CREATE TABLE user_grids (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    division_id INTEGER NOT NULL REFERENCES divisions(id),
    PRIMARY KEY (user_id, division_id)
) WITHOUT ROWID;
CREATE INDEX user_grids_division ON user_grids(division_id);

CREATE INDEX divisions_name ON divisions(name);
CREATE INDEX units_division ON units(division_id);
