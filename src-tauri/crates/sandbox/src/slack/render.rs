//! The JSON shapes Slack's Web API gives its objects: the conversation object of
//! `conversations.*`, the user object of `users.list` and the message object of
//! `chat.postMessage` / `conversations.history`.

use super::workspace::{Channel, Message, User, Workspace, ZONES};
use serde_json::{json, Map, Value};

/// `Zoë Ødegaard` → `Zoe Odegaard`: the `*_normalized` fields Slack adds next to names.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| fold(c).map_or_else(|| c.to_string(), str::to_owned))
        .collect()
}

fn fold(c: char) -> Option<&'static str> {
    let folded = match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => "a",
        'Á' | 'À' | 'Â' | 'Ä' | 'Å' => "A",
        'ç' | 'ć' => "c",
        'Ç' | 'Ć' => "C",
        'é' | 'è' | 'ê' | 'ë' | 'ễ' => "e",
        'É' | 'È' => "E",
        'í' | 'ì' | 'î' | 'ï' => "i",
        'ł' => "l",
        'Ł' => "L",
        'ñ' | 'ń' => "n",
        'ó' | 'ò' | 'ô' | 'ö' | 'ø' => "o",
        'Ó' | 'Ö' | 'Ø' => "O",
        'ř' => "r",
        'ß' => "ss",
        'ú' | 'ù' | 'û' | 'ü' => "u",
        'Ü' => "U",
        'ż' | 'ź' => "z",
        _ => return None,
    };
    Some(folded)
}

/// The conversation object, `is_member` as seen by `viewer`.
pub fn channel(c: &Channel, viewer: &str) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "is_channel": true,
        "is_group": false,
        "is_im": false,
        "is_mpim": false,
        "is_private": c.is_private,
        "created": c.created,
        "creator": c.creator,
        "is_archived": c.is_archived,
        "is_general": c.is_general,
        "unlinked": 0,
        "name_normalized": c.name,
        "is_shared": false,
        "is_ext_shared": false,
        "is_org_shared": false,
        "pending_shared": [],
        "is_pending_ext_shared": false,
        "is_member": c.members.contains(viewer),
        "updated": c.updated,
        "topic": { "value": c.topic, "creator": if c.topic.is_empty() { "" } else { c.creator.as_str() }, "last_set": 0 },
        "purpose": { "value": c.purpose, "creator": c.creator, "last_set": c.created },
        "previous_names": c.previous_names,
        "num_members": c.members.len(),
    })
}

/// The user object of `users.list`; `email` only for tokens with `users:read.email`.
pub fn user(ws: &Workspace, u: &User, with_email: bool) -> Value {
    let (tz, tz_label, tz_offset) = ZONES.get(u.zone).copied().unwrap_or(ZONES[0]);
    let real_name = u.real_name();
    let avatar_hash = format!(
        "{:x}",
        u.id.bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
            & 0xfff_ffff_ffff
    );
    let mut profile = Map::new();
    profile.insert("avatar_hash".into(), json!(avatar_hash));
    profile.insert("real_name".into(), json!(real_name));
    profile.insert("real_name_normalized".into(), json!(normalize(&real_name)));
    profile.insert(
        "display_name".into(),
        json!(if u.is_bot {
            String::new()
        } else {
            u.first.clone()
        }),
    );
    profile.insert(
        "display_name_normalized".into(),
        json!(if u.is_bot {
            String::new()
        } else {
            normalize(&u.first)
        }),
    );
    profile.insert("first_name".into(), json!(u.first));
    profile.insert("last_name".into(), json!(u.last));
    profile.insert("title".into(), json!(u.title.clone().unwrap_or_default()));
    profile.insert("phone".into(), json!(u.phone.clone().unwrap_or_default()));
    profile.insert("skype".into(), json!(""));
    profile.insert("status_text".into(), json!(""));
    profile.insert("status_emoji".into(), json!(""));
    for size in [24, 32, 48, 72, 192, 512] {
        profile.insert(
            format!("image_{size}"),
            json!(format!(
                "https://avatars.slack-edge.com/sandbox/{avatar_hash}_{size}.png"
            )),
        );
    }
    if with_email {
        if let Some(email) = &u.email {
            profile.insert("email".into(), json!(email));
        }
    }
    if let Some(bot_id) = &u.bot_id {
        profile.insert("bot_id".into(), json!(bot_id));
        profile.insert("api_app_id".into(), json!(ws.app_id));
        profile.insert("always_active".into(), json!(true));
    }
    profile.insert("team".into(), json!(ws.team.id));
    json!({
        "id": u.id,
        "team_id": ws.team.id,
        "name": u.name,
        "deleted": u.deleted,
        "color": format!("{:06x}", u.id.bytes().fold(0u32, |h, b| h.wrapping_mul(33) ^ u32::from(b)) & 0xff_ffff),
        "real_name": real_name,
        "tz": tz,
        "tz_label": tz_label,
        "tz_offset": tz_offset,
        "profile": profile,
        "is_admin": u.is_admin,
        "is_owner": u.is_owner,
        "is_primary_owner": u.is_owner,
        "is_restricted": false,
        "is_ultra_restricted": false,
        "is_bot": u.is_bot,
        "is_app_user": false,
        "updated": u.updated,
    })
}

pub fn message(m: &Message) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!("message"));
    if m.bot_id.is_some() {
        out.insert("subtype".into(), json!("bot_message"));
    }
    out.insert("text".into(), json!(m.text));
    out.insert("ts".into(), json!(m.ts));
    for (key, value) in [
        ("user", &m.user),
        ("bot_id", &m.bot_id),
        ("app_id", &m.app_id),
        ("thread_ts", &m.thread_ts),
        ("username", &m.username),
    ] {
        if let Some(v) = value {
            out.insert(key.into(), json!(v));
        }
    }
    if let Some(blocks) = &m.blocks {
        out.insert("blocks".into(), blocks.clone());
    }
    Value::Object(out)
}
