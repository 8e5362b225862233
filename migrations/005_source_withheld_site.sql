-- Casewatch schema, version 5: where a source's withheld link pointed. A source URL that names a protected
-- party is never stored (its url is ''); its site, when the site itself names no one ("forum.example.org"),
-- is kept here so that a summary's Sources list can say where the source is and why it has no link.
ALTER TABLE sources ADD COLUMN withheld_site TEXT NOT NULL DEFAULT '';
