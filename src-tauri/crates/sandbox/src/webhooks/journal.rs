//! The link between a simulator's data and its webhooks: the data notes its own changes
//! while a receiver is subscribed, and the lock guard the handlers write through hands
//! those notes to the sender when it is released — so every write path (single, batch,
//! `/__sandbox/mutate`) is covered without each handler remembering to do it.

use super::{Change, Webhooks};
use std::ops::{Deref, DerefMut};
use std::sync::MutexGuard;

/// Data that can note its own changes.
pub trait Journal {
    /// Start or stop noting changes.
    fn set_recording(&mut self, on: bool);
    /// The changes noted since the last call.
    fn take_changes(&mut self) -> Vec<Change>;
}

/// A lock on a simulator's data that publishes the changes made under it when dropped.
pub struct Journaled<'a, T: Journal> {
    guard: MutexGuard<'a, T>,
    hooks: &'a Webhooks,
    account: String,
}

impl<T: Journal> std::fmt::Debug for Journaled<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journaled")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Journal> Journaled<'a, T> {
    /// `account` names the provider account the data belongs to; it is asked only while
    /// a receiver is subscribed.
    pub fn new(
        mut guard: MutexGuard<'a, T>,
        hooks: &'a Webhooks,
        account: impl FnOnce(&T) -> String,
    ) -> Self {
        let on = hooks.subscribed();
        guard.set_recording(on);
        let account = if on { account(&guard) } else { String::new() };
        Self {
            guard,
            hooks,
            account,
        }
    }
}

impl<T: Journal> Deref for Journaled<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T: Journal> DerefMut for Journaled<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

impl<T: Journal> Drop for Journaled<'_, T> {
    fn drop(&mut self) {
        let changes = self.guard.take_changes();
        if !changes.is_empty() {
            self.hooks.publish(&self.account, changes);
        }
    }
}
