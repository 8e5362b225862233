-- Casewatch schema, version 3: the fingerprint of the secret key the database was made with.
-- One row (id 1). It names the key (an HKDF output with its own label, bot/keys.py) and reveals nothing
-- of it. At start a different or missing key is refused while registrations exist, instead of every
-- check failing later.
CREATE TABLE key_fingerprint (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
