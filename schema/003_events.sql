-- Event hub: categories and routing, events with their parties, dispatches,
-- timeline, attachments, extensions, visits, notifications, idempotency keys
-- and a Chinese full-text index (FTS5 trigram).

CREATE TABLE categories (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT    NOT NULL UNIQUE,
    name                 TEXT    NOT NULL,
    name_en              TEXT    NOT NULL DEFAULT '',
    parent_id            INTEGER REFERENCES categories(id),
    kind                 TEXT    NOT NULL DEFAULT 'general'
                         CHECK (kind IN ('general', 'dispute', 'petition', 'death', 'hazard')),
    citizen_reportable   INTEGER NOT NULL DEFAULT 0,
    sign_days            INTEGER NOT NULL DEFAULT 1,   -- normal: working days to sign
    finish_days          INTEGER NOT NULL DEFAULT 5,   -- normal: working days to finish
    urgent_sign_hours    INTEGER NOT NULL DEFAULT 2,
    urgent_finish_hours  INTEGER NOT NULL DEFAULT 24,
    critical_sign_hours  INTEGER NOT NULL DEFAULT 1,
    critical_finish_hours INTEGER NOT NULL DEFAULT 12,
    auto_escalate        INTEGER NOT NULL DEFAULT 0,   -- escalate when red
    retired_at           INTEGER,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

-- Default responsible unit for a category within a division subtree; the
-- most specific division wins, then the nearest ancestor category.
CREATE TABLE routing_rules (
    id          INTEGER PRIMARY KEY,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    division_id INTEGER NOT NULL REFERENCES divisions(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    created_at  INTEGER NOT NULL,
    UNIQUE (category_id, division_id)
);

CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    case_no          TEXT    NOT NULL UNIQUE,
    channel          TEXT    NOT NULL,
    category_id      INTEGER NOT NULL REFERENCES categories(id),
    kind             TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    description      TEXT    NOT NULL DEFAULT '',
    division_id      INTEGER NOT NULL REFERENCES divisions(id),
    division_path    TEXT    NOT NULL,
    address_enc      BLOB,
    lat              REAL,
    lng              REAL,
    occurred_at      INTEGER NOT NULL,
    reporter_name_enc  BLOB,
    reporter_phone_enc BLOB,
    reporter_phone_idx BLOB,
    anonymous        INTEGER NOT NULL DEFAULT 0,
    urgency          TEXT    NOT NULL CHECK (urgency IN ('normal', 'urgent', 'critical')),
    state            TEXT    NOT NULL,
    level            TEXT    NOT NULL DEFAULT 'township' CHECK (level IN ('grid', 'township', 'county')),
    tags             TEXT    NOT NULL DEFAULT '',
    reported_by      INTEGER REFERENCES users(id),
    reported_at      INTEGER NOT NULL,
    accept_deadline  INTEGER,
    accepted_at      INTEGER,
    deadline_at      INTEGER,          -- the case's overall deadline (from acceptance)
    lead_unit_id     INTEGER REFERENCES units(id),
    handled_at       INTEGER,
    closed_at        INTEGER,
    closed_on_time   INTEGER,
    result           TEXT    NOT NULL DEFAULT '',
    reject_reason    TEXT    NOT NULL DEFAULT '',
    merged_into      INTEGER REFERENCES events(id),
    reopen_count     INTEGER NOT NULL DEFAULT 0,
    return_count     INTEGER NOT NULL DEFAULT 0,
    extension_used   INTEGER NOT NULL DEFAULT 0,
    on_the_spot      INTEGER NOT NULL DEFAULT 0,
    sampled          INTEGER NOT NULL DEFAULT 0,
    satisfaction     TEXT,
    color            TEXT    NOT NULL DEFAULT 'green' CHECK (color IN ('green', 'yellow', 'red')),
    escalated_auto   INTEGER NOT NULL DEFAULT 0,
    supervised       INTEGER NOT NULL DEFAULT 0,
    supervise_note   TEXT    NOT NULL DEFAULT '',
    supervise_due    INTEGER,
    petition_level   TEXT,
    leader_in_charge TEXT    NOT NULL DEFAULT '',
    repeat_count     INTEGER NOT NULL DEFAULT 0,
    backlog          INTEGER NOT NULL DEFAULT 0,
    version          INTEGER NOT NULL DEFAULT 1,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX events_path ON events(division_path, id);
CREATE INDEX events_state ON events(state, id);
CREATE INDEX events_category ON events(category_id, id);
CREATE INDEX events_reported ON events(reported_at);
CREATE INDEX events_lead ON events(lead_unit_id, state);
CREATE INDEX events_dup ON events(division_id, category_id, occurred_at);
CREATE INDEX events_open_deadline ON events(deadline_at) WHERE closed_at IS NULL;

CREATE TABLE event_parties (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events(id),
    role          TEXT    NOT NULL DEFAULT 'party',
    name_enc      BLOB    NOT NULL,
    id_number_enc BLOB,
    id_number_idx BLOB,
    phone_enc     BLOB,
    phone_idx     BLOB
);
CREATE INDEX event_parties_event ON event_parties(event_id);
CREATE INDEX event_parties_idnum ON event_parties(id_number_idx);

CREATE TABLE dispatches (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events(id),
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    lead            INTEGER NOT NULL,
    dispatched_by   INTEGER REFERENCES users(id),
    dispatched_at   INTEGER NOT NULL,
    sign_deadline   INTEGER NOT NULL,
    finish_deadline INTEGER NOT NULL,
    deadline_reason TEXT    NOT NULL DEFAULT '',
    signed_at       INTEGER,
    feedback_at     INTEGER,
    feedback        TEXT    NOT NULL DEFAULT '',
    returned_at     INTEGER,
    return_reason   TEXT    NOT NULL DEFAULT '',
    active          INTEGER NOT NULL DEFAULT 1,
    color           TEXT    NOT NULL DEFAULT 'green'
);
CREATE INDEX dispatches_event ON dispatches(event_id);
CREATE INDEX dispatches_unit ON dispatches(unit_id, active);

CREATE TABLE timeline (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events(id),
    at         INTEGER NOT NULL,
    actor_id   INTEGER,
    actor_name TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    from_state TEXT    NOT NULL DEFAULT '',
    to_state   TEXT    NOT NULL DEFAULT '',
    note       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX timeline_event ON timeline(event_id, id);

CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id),
    sha256      TEXT    NOT NULL,
    mime        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    name        TEXT    NOT NULL DEFAULT '',
    purpose     TEXT    NOT NULL DEFAULT 'report',
    uploaded_by INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX attachments_event ON attachments(event_id);

CREATE TABLE extensions (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id),
    dispatch_id INTEGER NOT NULL REFERENCES dispatches(id),
    days        INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    requested_by INTEGER REFERENCES users(id),
    requested_at INTEGER NOT NULL,
    decision    TEXT,                -- granted | refused
    decided_by  INTEGER REFERENCES users(id),
    decided_at  INTEGER,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX extensions_event ON extensions(event_id);

CREATE TABLE visits (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id),
    satisfaction TEXT    NOT NULL CHECK (satisfaction IN ('satisfied', 'basically', 'unsatisfied')),
    comment      TEXT    NOT NULL DEFAULT '',
    visited_by   INTEGER REFERENCES users(id),
    visited_at   INTEGER NOT NULL
);
CREATE INDEX visits_event ON visits(event_id);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER REFERENCES users(id),
    unit_id    INTEGER REFERENCES units(id),
    event_id   INTEGER REFERENCES events(id),
    kind       TEXT    NOT NULL,
    message    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unit ON notifications(unit_id, id);

CREATE TABLE idempotency_keys (
    user_id    INTEGER NOT NULL,
    key        TEXT    NOT NULL,
    route      TEXT    NOT NULL,
    status     INTEGER NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

CREATE TABLE case_counters (
    day   TEXT PRIMARY KEY,      -- YYYYMMDD in county time
    last  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE VIRTUAL TABLE events_fts USING fts5(title, description, content='events', content_rowid='id',
    tokenize='trigram');
CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER events_fts_update AFTER UPDATE OF title, description ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO events_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END;
