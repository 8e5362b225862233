-- Casewatch schema, version 1.
-- Portable SQL: SQLite today, PostgreSQL later. Ids are 63-bit integers assigned by the application
-- (bot/storage/ids.py), times are ISO-8601 UTC text, JSON is text, booleans are 0/1 integers.
-- Registered names and identifiers never appear here: protected parties hold keyed digests only,
-- and a held message's original text is sealed (encrypted) until a moderator resolves it.
-- Scores are DOUBLE PRECISION: an 8-byte float on both engines (PostgreSQL's REAL is 4 bytes, so 0.97 would
-- read back as 0.9700000286; SQLite gives any type naming DOUB the same REAL affinity it gives REAL).

CREATE TABLE guilds (
    guild_id      BIGINT PRIMARY KEY,
    settings_json TEXT NOT NULL DEFAULT '{}',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE cases (
    case_id      BIGINT PRIMARY KEY,
    guild_id     BIGINT REFERENCES guilds (guild_id) ON DELETE CASCADE,
    case_key     TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    jurisdiction TEXT NOT NULL DEFAULT 'GB',
    created_at   TEXT NOT NULL,
    UNIQUE (guild_id, case_key)
);

CREATE TABLE protected_parties (
    party_id     BIGINT PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    basis        TEXT NOT NULL DEFAULT '',
    records_json TEXT NOT NULL,
    name_count   INTEGER NOT NULL DEFAULT 0,
    ident_count  INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (case_id, label)
);

CREATE TABLE allowlist (
    case_id    BIGINT NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
    digest     TEXT NOT NULL,
    added_by   TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (case_id, digest)
);

CREATE TABLE threads (
    thread_id BIGINT PRIMARY KEY,
    guild_id  BIGINT NOT NULL REFERENCES guilds (guild_id) ON DELETE CASCADE,
    forum_id  BIGINT,
    case_id   BIGINT NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
    linked_at TEXT NOT NULL
);
CREATE INDEX threads_case ON threads (case_id);

CREATE TABLE flags (
    flag_id          BIGINT PRIMARY KEY,
    guild_id         BIGINT,
    case_id          BIGINT REFERENCES cases (case_id) ON DELETE SET NULL,
    channel_id       BIGINT,
    message_id       TEXT NOT NULL,
    author_id        TEXT NOT NULL,
    author_name      TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL,
    action           TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'open',
    score            DOUBLE PRECISION NOT NULL,
    reason           TEXT NOT NULL,
    excerpt          TEXT NOT NULL,
    signature        TEXT NOT NULL DEFAULT '',
    queue_channel_id BIGINT,
    queue_message_id BIGINT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX flags_guild_state ON flags (guild_id, state, created_at);
CREATE INDEX flags_author ON flags (guild_id, author_id, created_at);
CREATE INDEX flags_message ON flags (message_id);

CREATE TABLE findings (
    finding_id BIGINT PRIMARY KEY,
    flag_id    BIGINT NOT NULL REFERENCES flags (flag_id) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    detector   TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT '',
    label      TEXT,
    score      DOUBLE PRECISION NOT NULL,
    reason     TEXT NOT NULL
);
CREATE INDEX findings_flag ON findings (flag_id);
CREATE INDEX findings_detector ON findings (detector);

CREATE TABLE held_messages (
    flag_id          BIGINT PRIMARY KEY REFERENCES flags (flag_id) ON DELETE CASCADE,
    channel_id       BIGINT NOT NULL,
    author_name      TEXT NOT NULL DEFAULT '',
    author_avatar    TEXT NOT NULL DEFAULT '',
    original_sealed  TEXT NOT NULL,
    redacted         TEXT NOT NULL,
    attachments_json TEXT NOT NULL DEFAULT '[]',
    created_at       TEXT NOT NULL
);

CREATE TABLE audit_log (
    audit_id     BIGINT PRIMARY KEY,
    guild_id     BIGINT,
    flag_id      BIGINT REFERENCES flags (flag_id) ON DELETE SET NULL,
    actor_id     TEXT NOT NULL,
    decision     TEXT NOT NULL,
    state_before TEXT,
    state_after  TEXT,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE INDEX audit_flag ON audit_log (flag_id);
CREATE INDEX audit_guild ON audit_log (guild_id, created_at);

CREATE TABLE outbox (
    action_id    BIGINT PRIMARY KEY,
    guild_id     BIGINT,
    flag_id      BIGINT REFERENCES flags (flag_id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX outbox_status ON outbox (status, created_at);

CREATE TABLE sources (
    source_id    BIGINT PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
    url          TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    publisher    TEXT NOT NULL DEFAULT '',
    published    TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    added_by     TEXT,
    fetched_at   TEXT NOT NULL,
    UNIQUE (case_id, content_hash)
);

CREATE TABLE summaries (
    case_id      BIGINT PRIMARY KEY REFERENCES cases (case_id) ON DELETE CASCADE,
    fingerprint  TEXT NOT NULL,
    summary_json TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
