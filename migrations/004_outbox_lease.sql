-- Casewatch schema, version 4: leases on outbox actions, so several bot processes share one outbox.
-- A worker claims a pending action by writing its name and a lease end (milliseconds since the Unix epoch)
-- in one conditional update; no other worker claims it until the lease ends. A worker that dies holding
-- a lease leaves it to expire, and another worker then finishes the action (Discord's nonce turns a
-- resent message into the one already sent; a delete that answers 404 is done).
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until BIGINT;
CREATE INDEX outbox_flag_status ON outbox (flag_id, status, action_id);
