//! "Someone else did something in Slack", applied through `/__sandbox/mutate`: a person
//! posts, edits or deletes a message; a channel is created, renamed, archived or loses
//! the bot; a user is added, edited or deactivated.

use super::render;
use super::workspace::{Channel, Message, User, Workspace};
use crate::sim::Mutation;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

pub fn apply(ws: &mut Workspace, m: &Mutation) -> Result<Value, String> {
    match m.object.as_str() {
        "message" | "messages" => message(ws, m),
        "channel" | "channels" | "conversation" => channel(ws, m),
        "user" | "users" => user(ws, m),
        other => Err(format!(
            "unknown Slack object {other:?}: use message, channel or user"
        )),
    }
}

fn text(fields: &Map<String, Value>, key: &str) -> Option<String> {
    fields.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn flag(fields: &Map<String, Value>, key: &str) -> Result<Option<bool>, String> {
    fields
        .get(key)
        .map(|v| v.as_bool().ok_or(format!("{key} must be true or false")))
        .transpose()
}

/// `fields`: `channel` (id or name), `text`, optional `user` (default: a member who is
/// not the bot) and `thread_ts`. With `id` (a message `ts`): edit `text`, or `delete`.
fn message(ws: &mut Workspace, m: &Mutation) -> Result<Value, String> {
    let key = text(&m.fields, "channel").ok_or("fields.channel (id or name) is required")?;
    let index = ws
        .channel_index(&key)
        .ok_or(format!("no channel {key:?}"))?;
    let channel_id = ws.channels[index].id.clone();
    if let Some(ts) = &m.id {
        let list = ws.messages.entry(channel_id.clone()).or_default();
        let at = list
            .iter()
            .position(|x| &x.ts == ts)
            .ok_or(format!("no message {ts} in {channel_id}"))?;
        if m.delete {
            let gone = list.remove(at);
            return Ok(json!({ "deleted": true, "channel": channel_id, "ts": gone.ts }));
        }
        list[at].text =
            text(&m.fields, "text").ok_or("fields.text is required to edit a message")?;
        return Ok(json!({ "channel": channel_id, "message": render::message(&list[at]) }));
    }
    let body = text(&m.fields, "text")
        .filter(|t| !t.is_empty())
        .ok_or("fields.text is required")?;
    let user = match text(&m.fields, "user") {
        Some(id) => ws
            .user(&id)
            .filter(|u| !u.is_bot)
            .map(|u| u.id.clone())
            .ok_or(format!("no person {id:?}"))?,
        None => ws.channels[index]
            .members
            .iter()
            .find(|id| **id != ws.bot_user_id)
            .cloned()
            .unwrap_or_else(|| ws.installer_id.clone()),
    };
    let posted = Message {
        ts: ws.next_ts(),
        user: Some(user),
        bot_id: None,
        app_id: None,
        text: body,
        blocks: None,
        thread_ts: text(&m.fields, "thread_ts"),
        username: None,
    };
    ws.post(index, posted.clone());
    Ok(json!({ "channel": channel_id, "ts": posted.ts, "message": render::message(&posted) }))
}

fn channel_json(ws: &Workspace, c: &Channel) -> Value {
    let mut out = render::channel(c, &ws.bot_user_id);
    out["members"] = json!(c.members);
    out
}

/// Create (`name`, `is_private`), or change: `delete` archives; `is_archived`, `name`,
/// `topic`, `purpose`, `is_member` (the bot's membership).
fn channel(ws: &mut Workspace, m: &Mutation) -> Result<Value, String> {
    let now_ms = chrono::Utc::now().timestamp_millis();
    let index = match &m.id {
        Some(key) => ws.channel_index(key).ok_or(format!("no channel {key:?}"))?,
        None => {
            let name = text(&m.fields, "name")
                .filter(|n| !n.is_empty())
                .ok_or("fields.name is required to create a channel")?;
            if ws.channel_index(&name).is_some() {
                return Err(format!("a channel named {name:?} exists"));
            }
            let id = ws.fresh_id('C');
            let installer = ws.installer_id.clone();
            ws.channels.push(Channel {
                id,
                name,
                is_private: flag(&m.fields, "is_private")?.unwrap_or(false),
                is_archived: false,
                is_general: false,
                created: now_ms / 1000,
                creator: installer.clone(),
                topic: String::new(),
                purpose: String::new(),
                members: BTreeSet::from([installer]),
                updated: now_ms,
                previous_names: Vec::new(),
            });
            ws.channels.len() - 1
        }
    };
    let bot = ws.bot_user_id.clone();
    let c = &mut ws.channels[index];
    if let Some(archived) = flag(&m.fields, "is_archived")?.or(m.delete.then_some(true)) {
        c.is_archived = archived;
    }
    if let Some(name) = text(&m.fields, "name").filter(|n| *n != c.name && m.id.is_some()) {
        c.previous_names.push(std::mem::replace(&mut c.name, name));
    }
    for (key, slot) in [("topic", &mut c.topic), ("purpose", &mut c.purpose)] {
        if let Some(value) = text(&m.fields, key) {
            *slot = value;
        }
    }
    match flag(&m.fields, "is_member")? {
        Some(true) => {
            c.members.insert(bot);
        }
        Some(false) => {
            c.members.remove(&bot);
        }
        None => {}
    }
    c.updated = now_ms;
    let c = ws.channels[index].clone();
    Ok(channel_json(ws, &c))
}

/// Create (`first_name`, `last_name`, `email`, `title`), or change: `delete`
/// deactivates; `deleted`, `first_name`, `last_name`, `title`, `email`, `is_admin`.
fn user(ws: &mut Workspace, m: &Mutation) -> Result<Value, String> {
    let now = chrono::Utc::now().timestamp();
    let index = match &m.id {
        Some(id) => ws
            .users
            .iter()
            .position(|u| &u.id == id)
            .ok_or(format!("no user {id:?}"))?,
        None => {
            let first = text(&m.fields, "first_name")
                .filter(|n| !n.is_empty())
                .ok_or("fields.first_name is required to create a user")?;
            let last = text(&m.fields, "last_name").unwrap_or_default();
            let id = ws.fresh_id('U');
            let name = format!(
                "{}.{}",
                crate::seed::ascii_slug(&first),
                crate::seed::ascii_slug(&last)
            );
            let at = ws.users.len().saturating_sub(1); // keep the bot user last
            let new = User {
                id,
                name,
                first,
                last,
                title: None,
                email: None,
                phone: None,
                zone: 0,
                deleted: false,
                is_admin: false,
                is_owner: false,
                is_bot: false,
                bot_id: None,
                updated: now,
            };
            ws.users.insert(at, new);
            at
        }
    };
    let u = &mut ws.users[index];
    if let Some(deleted) = flag(&m.fields, "deleted")?.or(m.delete.then_some(true)) {
        u.deleted = deleted;
    }
    if let Some(admin) = flag(&m.fields, "is_admin")? {
        u.is_admin = admin;
    }
    for (key, slot) in [("first_name", &mut u.first), ("last_name", &mut u.last)] {
        if let Some(value) = text(&m.fields, key) {
            *slot = value;
        }
    }
    for (key, slot) in [("title", &mut u.title), ("email", &mut u.email)] {
        if let Some(value) = text(&m.fields, key) {
            *slot = Some(value);
        }
    }
    u.updated = now;
    let u = ws.users[index].clone();
    Ok(render::user(ws, &u, true))
}
