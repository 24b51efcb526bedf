-- Registry: the people who actually live in each grid (实有人口), registered
-- (户籍), floating (流动) or from overseas (境外). One row per ID number.
--
-- Personal data is encrypted (XChaCha20-Poly1305, domain/pii) and found by a
-- keyed blind index: an ID number or a whole name is looked up exactly, never
-- by a fragment, so the clear text is not in the file. Sex and birth date are
-- kept in clear: they are read from the ID number and feed the age and sex
-- figures every registry report shows.

CREATE TABLE persons (
    id             INTEGER PRIMARY KEY,
    id_number_enc  BLOB    NOT NULL,
    id_number_idx  BLOB    NOT NULL UNIQUE,
    name_enc       BLOB    NOT NULL,
    name_idx       BLOB    NOT NULL,
    phone_enc      BLOB,
    phone_idx      BLOB,
    address_enc    BLOB,
    sex            TEXT    NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date     TEXT    NOT NULL,            -- YYYY-MM-DD from the ID number
    kind           TEXT    NOT NULL CHECK (kind IN ('registered', 'floating', 'overseas')),
    division_id    INTEGER NOT NULL REFERENCES divisions(id),
    division_path  TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX persons_name ON persons(name_idx, id);
CREATE INDEX persons_phone ON persons(phone_idx) WHERE phone_idx IS NOT NULL;
CREATE INDEX persons_path ON persons(division_path, id);
