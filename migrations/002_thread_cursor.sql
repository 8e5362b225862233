-- Casewatch schema, version 2: a per-thread cursor for catching up after downtime.
-- last_message_id is the newest message id the bot has checked in the thread (NULL: none yet). On start
-- the bot reads each active watched thread's history after it, so posts made while it was offline are
-- checked too. It only moves forward, and is written in batches (not once per message).
ALTER TABLE threads ADD COLUMN last_message_id BIGINT;
