//! The seeded Slack workspace the simulator serves: one team, its users (taken from the
//! shared population, so names are non-ASCII where people's are), the app's bot user,
//! channels with their members, and the messages posted in them. Ids are Slack-shaped
//! (`T…`, `U…`, `C…`, `B…`, `A…`) and drawn from the seed, so runs repeat.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};

const ID_CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// (tz, tz_label, tz_offset seconds) for seeded people.
pub const ZONES: &[(&str, &str, i64)] = &[
    ("America/Los_Angeles", "Pacific Daylight Time", -25200),
    ("America/New_York", "Eastern Daylight Time", -14400),
    ("Europe/London", "British Summer Time", 3600),
    ("Europe/Berlin", "Central European Summer Time", 7200),
    ("Asia/Tokyo", "Japan Standard Time", 32400),
];
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub email_domain: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    /// The legacy handle (`name` in the API).
    pub name: String,
    pub first: String,
    pub last: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub zone: usize,
    pub deleted: bool,
    pub is_admin: bool,
    pub is_owner: bool,
    pub is_bot: bool,
    pub bot_id: Option<String>,
    /// Unix seconds.
    pub updated: i64,
}

impl User {
    pub fn real_name(&self) -> String {
        if self.last.is_empty() {
            self.first.clone()
        } else {
            format!("{} {}", self.first, self.last)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub id: String,
    pub name: String,
    pub is_private: bool,
    pub is_archived: bool,
    pub is_general: bool,
    /// Unix seconds.
    pub created: i64,
    pub creator: String,
    pub topic: String,
    pub purpose: String,
    pub members: BTreeSet<String>,
    /// Unix milliseconds.
    pub updated: i64,
    pub previous_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub ts: String,
    pub user: Option<String>,
    pub bot_id: Option<String>,
    pub app_id: Option<String>,
    pub text: String,
    pub blocks: Option<Value>,
    pub thread_ts: Option<String>,
    pub username: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub team: Team,
    pub app_id: String,
    pub bot_id: String,
    pub bot_user_id: String,
    /// The admin who installs the app (owner of user tokens).
    pub installer_id: String,
    pub users: Vec<User>,
    pub channels: Vec<Channel>,
    /// Per channel id, oldest first.
    pub messages: BTreeMap<String, Vec<Message>>,
    pub(super) last_ts: (i64, u32),
    pub(super) ids: HashSet<String>,
    pub(super) rng: ChaCha8Rng,
}

/// `"1503435956.000247"` → (seconds, microseconds).
pub fn parse_ts(ts: &str) -> Option<(i64, u32)> {
    let (secs, micros) = ts.split_once('.').unwrap_or((ts, "0"));
    let micros = format!("{micros:0<6}");
    Some((secs.parse().ok()?, micros.get(..6)?.parse().ok()?))
}

pub fn format_ts((secs, micros): (i64, u32)) -> String {
    format!("{secs}.{micros:06}")
}

impl Workspace {
    /// A fresh Slack-style id: the prefix letter and 10 characters.
    pub fn new_id(&mut self, prefix: char, rng: &mut ChaCha8Rng) -> String {
        loop {
            let tail: String = (0..10)
                .map(|_| char::from(ID_CHARS[rng.gen_range(0..ID_CHARS.len())]))
                .collect();
            let id = format!("{prefix}{tail}");
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    /// An id for records created after seeding (mutations, new channels).
    pub fn fresh_id(&mut self, prefix: char) -> String {
        let mut rng = self.rng.clone();
        let id = self.new_id(prefix, &mut rng);
        self.rng = rng;
        id
    }

    /// A `ts` for a message posted now, strictly after every earlier one.
    pub fn next_ts(&mut self) -> String {
        let now = chrono::Utc::now();
        let mut next = (now.timestamp(), now.timestamp_subsec_micros().min(999_999));
        if next <= self.last_ts {
            next = if self.last_ts.1 >= 999_999 {
                (self.last_ts.0 + 1, 0)
            } else {
                (self.last_ts.0, self.last_ts.1 + 1)
            };
        }
        self.last_ts = next;
        format_ts(next)
    }

    /// A channel by id, or by name with or without `#`.
    pub fn channel_index(&self, key: &str) -> Option<usize> {
        let name = key.strip_prefix('#').unwrap_or(key);
        self.channels
            .iter()
            .position(|c| c.id == key)
            .or_else(|| self.channels.iter().position(|c| c.name == name))
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn post(&mut self, channel: usize, message: Message) {
        let id = self.channels[channel].id.clone();
        self.messages.entry(id).or_default().push(message);
    }
}
