//! Seeding the workspace from the shared population: the team (named after the first
//! company), people as users (every 25th deactivated, a few admins, the first the owner
//! who installs the app), Slackbot and the app's bot user, the standard channels
//! (`general`, `random`, `sales-ops`, `alerts`, an archived and a private one the bot is
//! not in, plus one per account) and a few weeks of messages in each.

use super::workspace::{format_ts, Channel, Message, Team, User, Workspace, ZONES};
use crate::config::SeedSpec;
use crate::seed::{ascii_slug, Population, SEED_EPOCH_MS};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet, HashSet};

const SLACKBOT: &str = "USLACKBOT";
const SMALL_TALK: &[&str] = &[
    "Pipeline review moved to Thursday 10:00.",
    "Can someone double-check the Q3 renewal numbers?",
    "Heads-up: the CRM import finished, 3 duplicates flagged.",
    "Merci à tous pour la démo d'hier 🎉",
    "Who owns the Globex follow-up?",
    "Invoice batch sent — please shout if a customer replies.",
    "Neue Preisliste ist im Drive.",
    "Reminder: close your open opportunities before Friday.",
];

impl Workspace {
    pub fn seed(spec: SeedSpec) -> Self {
        let population = Population::generate(spec);
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x51AC);
        let company = population.companies.first().map_or_else(
            || {
                (
                    "Switchyard Sandbox".to_owned(),
                    "sandbox.example.com".to_owned(),
                )
            },
            |c| (c.name.clone(), c.domain.clone()),
        );
        let mut ws = Workspace {
            team: Team {
                id: String::new(),
                name: company.0.clone(),
                domain: format!("{}-{}", ascii_slug(&company.0), spec.seed % 1000),
                email_domain: company.1,
            },
            app_id: String::new(),
            bot_id: String::new(),
            bot_user_id: String::new(),
            installer_id: String::new(),
            users: Vec::new(),
            channels: Vec::new(),
            messages: BTreeMap::new(),
            last_ts: (SEED_EPOCH_MS / 1000, 0),
            ids: HashSet::new(),
            rng: ChaCha8Rng::seed_from_u64(spec.seed ^ 0x7E57),
        };
        ws.team.id = ws.new_id('T', &mut rng);
        ws.app_id = ws.new_id('A', &mut rng);
        ws.bot_id = ws.new_id('B', &mut rng);
        ws.seed_users(&population, spec, &mut rng);
        ws.seed_channels(&population, spec, &mut rng);
        ws.seed_messages(&mut rng);
        ws
    }

    fn seed_users(&mut self, population: &Population, spec: SeedSpec, rng: &mut ChaCha8Rng) {
        let count = (spec.records / 2)
            .clamp(10, 1000)
            .min(population.people.len());
        let base = SEED_EPOCH_MS / 1000;
        let mut handles = HashSet::new();
        for (i, p) in population.people.iter().take(count).enumerate() {
            let mut handle = format!("{}.{}", ascii_slug(p.first), ascii_slug(p.last));
            if !handles.insert(handle.clone()) {
                handle = format!("{handle}{i}");
                handles.insert(handle.clone());
            }
            let id = self.new_id('U', rng);
            let email = p
                .has_email()
                .then(|| format!("{handle}@{}", self.team.email_domain));
            self.users.push(User {
                id,
                name: handle,
                first: p.first.to_owned(),
                last: p.last.to_owned(),
                title: p.title.map(str::to_owned),
                email,
                phone: p.phone.map(|x| x.text()),
                zone: rng.gen_range(0..ZONES.len()),
                deleted: i % 25 == 24,
                is_admin: i == 0 || i % 10 == 5,
                is_owner: i == 0,
                is_bot: false,
                bot_id: None,
                updated: p.modified_ms / 1000,
            });
        }
        self.installer_id = self.users.first().map(|u| u.id.clone()).unwrap_or_default();
        self.bot_user_id = self.new_id('U', rng);
        let bot = User {
            id: self.bot_user_id.clone(),
            name: "switchyard".into(),
            first: "Switchyard".into(),
            last: String::new(),
            title: None,
            email: None,
            phone: None,
            zone: 0,
            deleted: false,
            is_admin: false,
            is_owner: false,
            is_bot: true,
            bot_id: Some(self.bot_id.clone()),
            updated: base,
        };
        let slackbot = User {
            id: SLACKBOT.into(),
            name: "slackbot".into(),
            first: "Slackbot".into(),
            bot_id: None,
            is_bot: false,
            ..bot.clone()
        };
        self.users.insert(0, slackbot);
        self.users.push(bot);
    }

    fn seed_channels(&mut self, population: &Population, spec: SeedSpec, rng: &mut ChaCha8Rng) {
        let humans: Vec<String> = self
            .users
            .iter()
            .filter(|u| !u.is_bot && !u.deleted && u.id != SLACKBOT)
            .map(|u| u.id.clone())
            .collect();
        let every = |n: usize| -> BTreeSet<String> { humans.iter().step_by(n).cloned().collect() };
        let bot = self.bot_user_id.clone();
        let installer = self.installer_id.clone();
        // (name, private, archived, bot is a member, members, purpose)
        let mut plan: Vec<(String, bool, bool, bool, BTreeSet<String>, String)> = vec![
            (
                "general".into(),
                false,
                false,
                true,
                every(1),
                "Announcements for everyone in the workspace.".into(),
            ),
            (
                "random".into(),
                false,
                false,
                false,
                every(1),
                "Anything that is not work.".into(),
            ),
            (
                "sales-ops".into(),
                false,
                false,
                true,
                every(3),
                "Pipeline hygiene, CRM questions and handoffs.".into(),
            ),
            (
                "alerts".into(),
                false,
                false,
                false,
                every(5),
                "Automated alerts from the sync tools.".into(),
            ),
            (
                "old-deals".into(),
                false,
                true,
                false,
                every(7),
                "Closed deals from last year (archived).".into(),
            ),
            (
                "exec-private".into(),
                true,
                false,
                false,
                every(9),
                "Leadership only.".into(),
            ),
        ];
        for (i, company) in population
            .companies
            .iter()
            .take(spec.records / 20)
            .enumerate()
        {
            plan.push((
                format!("acct-{}", ascii_slug(&company.name)),
                false,
                false,
                i % 2 == 0,
                every(4 + i % 5),
                format!("Account channel for {}.", company.name),
            ));
        }
        let base = SEED_EPOCH_MS / 1000 - 400 * 86_400;
        for (i, (name, is_private, is_archived, bot_member, mut members, purpose)) in
            plan.into_iter().enumerate()
        {
            if bot_member {
                members.insert(bot.clone());
            }
            members.insert(installer.clone());
            let created = base + i as i64 * 86_400 + rng.gen_range(0..86_400);
            let id = self.new_id('C', rng);
            self.channels.push(Channel {
                id,
                is_general: name == "general",
                name,
                is_private,
                is_archived,
                created,
                creator: installer.clone(),
                topic: String::new(),
                purpose,
                members,
                updated: (created + 3600) * 1000,
                previous_names: Vec::new(),
            });
        }
    }

    fn seed_messages(&mut self, rng: &mut ChaCha8Rng) {
        let start = SEED_EPOCH_MS / 1000 - 30 * 86_400;
        for c in &self.channels {
            let authors: Vec<&String> = c
                .members
                .iter()
                .filter(|m| **m != self.bot_user_id)
                .collect();
            let mut at = start + rng.gen_range(0..3600);
            let mut list = Vec::new();
            for _ in 0..rng.gen_range(3..9) {
                at += rng.gen_range(60..86_400);
                let user = authors.choose(rng).map(|u| (*u).clone());
                let text = SMALL_TALK
                    .choose(rng)
                    .copied()
                    .unwrap_or("Hello")
                    .to_owned();
                list.push(Message {
                    ts: format_ts((at, rng.gen_range(0..1000))),
                    user,
                    bot_id: None,
                    app_id: None,
                    text,
                    blocks: None,
                    thread_ts: None,
                    username: None,
                });
            }
            self.messages.insert(c.id.clone(), list);
        }
    }
}
