-- A CHECK (x IN ('a', 'b', 'c')) of three values or more costs SQLite 3.40 an
-- ephemeral b-tree, opened, filled and closed on every row a statement
-- writes: about 1.5 us a constraint, 5 us on each reported event (three of
-- them) and 1.5 us on each imported person. The same rule written as
-- comparisons is tested in place. The constraints keep their meaning; only
-- their text changes, so the tables are not rebuilt (20 M events at
-- province): this is SQLite's documented procedure for changing a CHECK
-- constraint (sqlite.org/lang_altertable.html, "making other kinds of table
-- schema changes"), which rewrites the table's CREATE statement in place.
-- New constraints are written as comparisons from here on: the unit test
-- migrations_leave_no_check_constraint_written_as_an_in_list keeps it so.

PRAGMA writable_schema = ON;

UPDATE sqlite_schema
   SET sql = replace(sql,
       'CHECK (level IN (''county'', ''township'', ''village'', ''grid''))',
       'CHECK (level = ''county'' OR level = ''township'' OR level = ''village'' OR level = ''grid'')')
 WHERE type = 'table' AND name = 'divisions';

UPDATE sqlite_schema
   SET sql = replace(sql,
       'CHECK (kind IN (''general'', ''dispute'', ''petition'', ''death'', ''hazard''))',
       'CHECK (kind = ''general'' OR kind = ''dispute'' OR kind = ''petition'' OR kind = ''death'' OR kind = ''hazard'')')
 WHERE type = 'table' AND name = 'categories';

UPDATE sqlite_schema
   SET sql = replace(replace(replace(sql,
       'CHECK (urgency IN (''normal'', ''urgent'', ''critical''))',
       'CHECK (urgency = ''normal'' OR urgency = ''urgent'' OR urgency = ''critical'')'),
       'CHECK (level IN (''grid'', ''township'', ''county''))',
       'CHECK (level = ''grid'' OR level = ''township'' OR level = ''county'')'),
       'CHECK (color IN (''green'', ''yellow'', ''red''))',
       'CHECK (color = ''green'' OR color = ''yellow'' OR color = ''red'')')
 WHERE type = 'table' AND name = 'events';

UPDATE sqlite_schema
   SET sql = replace(sql,
       'CHECK (satisfaction IN (''satisfied'', ''basically'', ''unsatisfied''))',
       'CHECK (satisfaction = ''satisfied'' OR satisfaction = ''basically'' OR satisfaction = ''unsatisfied'')')
 WHERE type = 'table' AND name = 'visits';

UPDATE sqlite_schema
   SET sql = replace(replace(sql,
       'CHECK (sex IN (''M'', ''F''))',
       'CHECK (sex = ''M'' OR sex = ''F'')'),
       'CHECK (kind IN (''registered'', ''floating'', ''overseas''))',
       'CHECK (kind = ''registered'' OR kind = ''floating'' OR kind = ''overseas'')')
 WHERE type = 'table' AND name = 'persons';

-- Any schema change moves the schema cookie, so every other connection reads
-- the new text before its next statement; RESET makes this one read it now.
CREATE TABLE schema_cookie_bump (x);
DROP TABLE schema_cookie_bump;
PRAGMA writable_schema = RESET;
