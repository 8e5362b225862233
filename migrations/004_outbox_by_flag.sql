-- Casewatch schema, version 4: the outbox by flag. A flag's actions run in action_id order, and an action may
-- run only when no earlier action of its flag is pending; this index answers that question (and lists a
-- flag's actions) without scanning the whole outbox, which keeps its done rows.
CREATE INDEX outbox_flag ON outbox (flag_id, status, action_id);
