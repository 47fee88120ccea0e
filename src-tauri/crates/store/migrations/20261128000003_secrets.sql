-- Every secret value, AEAD-encrypted (XChaCha20-Poly1305). `scope` is a connection id
-- or an app-level scope such as 'app:salesforce'; the AAD binds scope and name to the
-- ciphertext so rows cannot be swapped.
CREATE TABLE secrets (
    scope         TEXT NOT NULL,
    name          TEXT NOT NULL,
    connection_id TEXT REFERENCES connections (id) ON DELETE CASCADE,
    key_version   INTEGER NOT NULL DEFAULT 1,
    nonce         BLOB NOT NULL,
    ciphertext    BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (scope, name)
) STRICT;
CREATE INDEX secrets_connection ON secrets (connection_id);
