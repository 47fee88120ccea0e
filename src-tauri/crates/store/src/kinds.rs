//! The closed vocabularies stored as TEXT columns (each matches a CHECK constraint in
//! `migrations/`). They serialize in snake_case, the same spelling as in the database.

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type, sqlx::Type)]
        #[serde(rename_all = "snake_case")]
        #[sqlx(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!("{other:?} is not a valid {}", stringify!($name))),
                }
            }
        }
    };
}

text_enum!(
    /// The services Switchyard connects to.
    ProviderId { Salesforce = "salesforce", Hubspot = "hubspot", Quickbooks = "quickbooks", Slack = "slack", Zapier = "zapier" }
);
text_enum!(Environment { Sandbox = "sandbox", Production = "production" });
text_enum!(
    /// How a connection was authorized.
    AuthKind { OauthLoopback = "oauth_loopback", OauthPasteRedirect = "oauth_paste_redirect", PastedToken = "pasted_token", HookUrl = "hook_url" }
);
text_enum!(ConnectionStatus { Connected = "connected", NeedsReconnect = "needs_reconnect", Disconnected = "disconnected", Error = "error" });
text_enum!(SyncDirection { OneWay = "one_way", TwoWay = "two_way" });
text_enum!(ConflictPolicy { SourceWins = "source_wins", TargetWins = "target_wins", NewestWins = "newest_wins", Review = "review" });
text_enum!(DeletePolicy { Ignore = "ignore", Propagate = "propagate", Review = "review" });
text_enum!(SyncRule { PreferSourceUnlessBlank = "prefer_source_unless_blank", AlwaysSource = "always_source", TwoWay = "two_way", DontSync = "dont_sync" });
text_enum!(RunStatus { Queued = "queued", Running = "running", Succeeded = "succeeded", Partial = "partial", Failed = "failed", Cancelled = "cancelled" });
text_enum!(RunTrigger { Manual = "manual", Cli = "cli", Webhook = "webhook", Retry = "retry", Resume = "resume" });
text_enum!(Side { Source = "source", Target = "target" });
text_enum!(RunErrorStatus { Open = "open", Retrying = "retrying", Resolved = "resolved" });
text_enum!(OutboxOp { Create = "create", Update = "update", Upsert = "upsert", Archive = "archive" });
text_enum!(OutboxState { Pending = "pending", Sent = "sent", Confirmed = "confirmed", Failed = "failed" });
text_enum!(
    /// How a provider request ended, as the health dashboard counts it.
    Outcome { Ok = "ok", ClientError = "client_error", AuthError = "auth_error", RateLimited = "rate_limited", ServerError = "server_error", Timeout = "timeout", Network = "network" }
);
text_enum!(CacheUse { Hit = "hit", Miss = "miss", Bypass = "bypass" });
text_enum!(Severity { Info = "info", Warning = "warning", Critical = "critical" });
text_enum!(
    /// How a connection waits between retries.
    Backoff { Exponential = "exponential", Linear = "linear", Fixed = "fixed" }
);

impl RunStatus {
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            RunStatus::Succeeded | RunStatus::Partial | RunStatus::Failed | RunStatus::Cancelled
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips() {
        for p in ProviderId::ALL {
            assert_eq!(p.as_str().parse::<ProviderId>().ok(), Some(*p));
            assert_eq!(
                serde_json::to_string(p).ok(),
                Some(format!("\"{}\"", p.as_str()))
            );
        }
        assert!("SALESFORCE".parse::<ProviderId>().is_err());
        assert!(RunStatus::Cancelled.is_finished());
        assert!(!RunStatus::Running.is_finished());
    }
}
