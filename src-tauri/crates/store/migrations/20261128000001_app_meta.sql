-- Facts about the database itself: which app version last migrated it, and the
-- vault's key check value (an AEAD encryption of a known constant).
CREATE TABLE app_meta (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
