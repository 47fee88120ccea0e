//! The secret vault's key and cipher.
//!
//! Every secret column is sealed with XChaCha20-Poly1305 (RustCrypto). The 256-bit key
//! lives in the OS keychain when one answers, else in a 0600 `vault.key` beside the
//! database. Where the key went is recorded in `app_meta` together with a check value,
//! so a later start never silently makes a new key for a database whose secrets were
//! sealed with another one: it stops with a clear message instead.

use crate::paths::DataPaths;
use crate::secret::Secret;
use crate::tables::app_meta;
use crate::{StoreError, StoreResult};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sqlx::SqlitePool;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use zeroize::Zeroizing;

/// Selects where the key may live: `auto` (default), `file` or `keychain`.
pub const KEY_POLICY_ENV: &str = "SWITCHYARD_KEY_STORE";
const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
const CHECK_PLAINTEXT: &[u8] = b"switchyard vault check v1";
const META_SOURCE: &str = "vault.key_source";
const META_CHECK: &str = "vault.check";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum KeySource {
    Keychain,
    KeyFile,
}

impl KeySource {
    fn as_str(self) -> &'static str {
        match self {
            KeySource::Keychain => "keychain",
            KeySource::KeyFile => "key_file",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        match s {
            "keychain" => Some(KeySource::Keychain),
            "key_file" => Some(KeySource::KeyFile),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyPolicy {
    /// Keychain when it answers, else the key file.
    #[default]
    Auto,
    /// Always the key file (tests, headless servers).
    File,
    /// Only the keychain; fail when it does not answer.
    Keychain,
}

impl KeyPolicy {
    /// Reads `SWITCHYARD_KEY_STORE`; unknown values are an error, not a silent default.
    pub fn from_env() -> StoreResult<Self> {
        match std::env::var(KEY_POLICY_ENV).ok().as_deref() {
            None | Some("") | Some("auto") => Ok(KeyPolicy::Auto),
            Some("file") => Ok(KeyPolicy::File),
            Some("keychain") => Ok(KeyPolicy::Keychain),
            Some(other) => Err(StoreError::Key(format!(
                "{KEY_POLICY_ENV}={other} is not one of auto, file, keychain"
            ))),
        }
    }
}

/// Seals and opens secrets. Cheap to clone.
#[derive(Clone)]
pub struct Vault {
    cipher: Arc<XChaCha20Poly1305>,
    source: KeySource,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// Loads (or creates) the key for this database and verifies it against the check value.
    pub(crate) async fn open(
        pool: &SqlitePool,
        paths: &DataPaths,
        policy: KeyPolicy,
    ) -> StoreResult<Self> {
        let recorded = app_meta::get(pool, META_SOURCE)
            .await?
            .as_deref()
            .and_then(KeySource::parse);
        let keychain_user = format!("vault-key {}", paths.database.display());
        let key_file = paths.key_file.clone();
        let (key, source) = tokio::task::spawn_blocking(move || {
            load_key(&key_file, &keychain_user, policy, recorded)
        })
        .await
        .map_err(|e| StoreError::Key(format!("key loading task failed: {e}")))??;
        let vault = Vault {
            cipher: Arc::new(XChaCha20Poly1305::new(key.as_slice().into())),
            source,
        };
        match app_meta::get(pool, META_CHECK).await? {
            Some(check) => {
                let bytes = hex::decode(&check).map_err(|_| StoreError::BadValue {
                    column: "app_meta.vault.check",
                    value: check.clone(),
                })?;
                if bytes.len() <= NONCE_LEN
                    || vault
                        .open_bytes("meta", "check", &bytes[..NONCE_LEN], &bytes[NONCE_LEN..])
                        .is_err()
                {
                    return Err(StoreError::Key(format!(
                        "the encryption key found in the {} does not match this database; saved tokens cannot be read",
                        describe(source)
                    )));
                }
            }
            None => {
                let (nonce, ct) = vault.seal_bytes("meta", "check", CHECK_PLAINTEXT)?;
                let mut joined = nonce;
                joined.extend_from_slice(&ct);
                app_meta::set(pool, META_CHECK, &hex::encode(joined)).await?;
            }
        }
        app_meta::set(pool, META_SOURCE, source.as_str()).await?;
        tracing::info!(
            key_source = source.as_str(),
            "secret vault ready (key kept in the {})",
            describe(source)
        );
        Ok(vault)
    }

    pub fn source(&self) -> KeySource {
        self.source
    }

    /// Seals `plaintext` for the row (`scope`, `name`); returns (nonce, ciphertext).
    pub fn seal(
        &self,
        scope: &str,
        name: &str,
        plaintext: &Secret<String>,
    ) -> StoreResult<(Vec<u8>, Vec<u8>)> {
        self.seal_bytes(scope, name, plaintext.expose().as_bytes())
    }

    /// Opens a sealed value; fails if it was altered or moved to another row.
    pub fn open_secret(
        &self,
        scope: &str,
        name: &str,
        nonce: &[u8],
        ciphertext: &[u8],
    ) -> StoreResult<Secret<String>> {
        let plain = Zeroizing::new(self.open_bytes(scope, name, nonce, ciphertext)?);
        let text = String::from_utf8(plain.to_vec()).map_err(|_| StoreError::Decrypt {
            scope: scope.into(),
            name: name.into(),
        })?;
        Ok(Secret::new(text))
    }

    fn seal_bytes(
        &self,
        scope: &str,
        name: &str,
        plaintext: &[u8],
    ) -> StoreResult<(Vec<u8>, Vec<u8>)> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = aad(scope, name);
        let ct = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Key("encryption failed".into()))?;
        Ok((nonce.to_vec(), ct))
    }

    fn open_bytes(
        &self,
        scope: &str,
        name: &str,
        nonce: &[u8],
        ciphertext: &[u8],
    ) -> StoreResult<Vec<u8>> {
        let err = || StoreError::Decrypt {
            scope: scope.into(),
            name: name.into(),
        };
        if nonce.len() != NONCE_LEN {
            return Err(err());
        }
        let aad = aad(scope, name);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| err())
    }
}

fn aad(scope: &str, name: &str) -> String {
    format!("switchyard/v1/{scope}/{name}")
}

fn describe(source: KeySource) -> &'static str {
    match source {
        KeySource::Keychain => "OS keychain",
        KeySource::KeyFile => "key file",
    }
}

type Key = Zeroizing<Vec<u8>>;

fn load_key(
    key_file: &Path,
    keychain_user: &str,
    policy: KeyPolicy,
    recorded: Option<KeySource>,
) -> StoreResult<(Key, KeySource)> {
    let use_file = match policy {
        KeyPolicy::File => true,
        KeyPolicy::Keychain => false,
        KeyPolicy::Auto => recorded == Some(KeySource::KeyFile) || key_file.exists(),
    };
    if use_file {
        return Ok((file_key(key_file, recorded.is_some())?, KeySource::KeyFile));
    }
    match keychain_key(keychain_user, recorded == Some(KeySource::Keychain)) {
        Ok(key) => Ok((key, KeySource::Keychain)),
        Err(e) if policy == KeyPolicy::Auto && recorded.is_none() => {
            tracing::info!("OS keychain did not answer ({e}); keeping the key in a 0600 file beside the database");
            Ok((file_key(key_file, false)?, KeySource::KeyFile))
        }
        Err(e) => Err(e),
    }
}

fn file_key(path: &Path, must_exist: bool) -> StoreResult<Key> {
    match std::fs::read_to_string(path) {
        Ok(text) => decode_key(text.trim()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
            let key = random_key();
            write_private(path, hex::encode(key.as_slice()).as_bytes())?;
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::Key(format!(
            "the key file {} is missing, so saved tokens cannot be read; restore it or reconnect your accounts in a new data folder",
            path.display()
        ))),
        Err(source) => Err(StoreError::Io { path: path.into(), source }),
    }
}

fn keychain_key(user: &str, must_exist: bool) -> StoreResult<Key> {
    let entry = keyring::Entry::new(crate::APP_IDENTIFIER, user)
        .map_err(|e| StoreError::Key(format!("OS keychain unavailable: {e}")))?;
    match entry.get_password() {
        Ok(text) => decode_key(Zeroizing::new(text).trim()),
        Err(keyring::Error::NoEntry) if !must_exist => {
            let key = random_key();
            let encoded = Zeroizing::new(hex::encode(key.as_slice()));
            entry
                .set_password(&encoded)
                .map_err(|e| StoreError::Key(format!("OS keychain refused the key: {e}")))?;
            // Read back: some keychains accept a write they cannot serve later.
            let back = Zeroizing::new(
                entry
                    .get_password()
                    .map_err(|e| StoreError::Key(format!("OS keychain lost the key: {e}")))?,
            );
            if back.as_str() != encoded.as_str() {
                return Err(StoreError::Key(
                    "OS keychain returned a different key than was stored".into(),
                ));
            }
            Ok(key)
        }
        Err(keyring::Error::NoEntry) => Err(StoreError::Key(
            "the encryption key is missing from the OS keychain, so saved tokens cannot be read"
                .into(),
        )),
        Err(e) => Err(StoreError::Key(format!("OS keychain unavailable: {e}"))),
    }
}

fn random_key() -> Key {
    let mut key = Zeroizing::new(vec![0u8; KEY_LEN]);
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

fn decode_key(text: &str) -> StoreResult<Key> {
    let key = Zeroizing::new(
        hex::decode(text).map_err(|_| StoreError::Key("the stored key is not valid hex".into()))?,
    );
    if key.len() != KEY_LEN {
        return Err(StoreError::Key(format!(
            "the stored key has {} bytes, expected {KEY_LEN}",
            key.len()
        )));
    }
    Ok(key)
}

/// Creates `path` readable and writable by the owner only.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> StoreResult<()> {
    let io = |source| StoreError::Io {
        path: path.into(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)
}
