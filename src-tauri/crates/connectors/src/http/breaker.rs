//! A circuit breaker per connection: after `threshold` consecutive failures it opens and
//! calls fail fast for `cool_down`; then one trial call is let through (half-open) and
//! its outcome closes or re-opens the circuit. Its state is visible to the health
//! dashboard. (Small and specific enough that a crate would add more than it saves:
//! the published ones hide the state this dashboard shows.)

use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CircuitState {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug)]
pub struct Breaker {
    threshold: u32,
    cool_down: Duration,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    failures: u32,
    opened_at: Option<Instant>,
    trial_in_flight: bool,
}

/// Whether a call may go out now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Allowed,
    /// The circuit is open; retry after this long.
    Rejected(Duration),
}

impl Breaker {
    pub fn new(threshold: u32, cool_down: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            cool_down,
            inner: Mutex::new(Inner {
                failures: 0,
                opened_at: None,
                trial_in_flight: false,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn state(&self) -> CircuitState {
        let inner = self.lock();
        match inner.opened_at {
            None => CircuitState::Closed,
            Some(at) if at.elapsed() >= self.cool_down => CircuitState::HalfOpen,
            Some(_) => CircuitState::Open,
        }
    }

    pub fn admit(&self) -> Admission {
        let mut inner = self.lock();
        match inner.opened_at {
            None => Admission::Allowed,
            Some(at) if at.elapsed() >= self.cool_down && !inner.trial_in_flight => {
                inner.trial_in_flight = true;
                Admission::Allowed
            }
            Some(at) => Admission::Rejected(
                self.cool_down
                    .saturating_sub(at.elapsed())
                    .max(Duration::from_millis(1)),
            ),
        }
    }

    pub fn success(&self) {
        let mut inner = self.lock();
        inner.failures = 0;
        inner.opened_at = None;
        inner.trial_in_flight = false;
    }

    /// Counts a failure; returns true when this failure opened (or re-opened) the circuit.
    pub fn failure(&self) -> bool {
        let mut inner = self.lock();
        inner.failures = inner.failures.saturating_add(1);
        let reopen = inner.trial_in_flight;
        inner.trial_in_flight = false;
        if reopen || (inner.opened_at.is_none() && inner.failures >= self.threshold) {
            inner.opened_at = Some(Instant::now());
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_then_half_opens_and_closes() {
        let b = Breaker::new(3, Duration::from_millis(40));
        assert!(!b.failure() && !b.failure());
        assert_eq!(b.state(), CircuitState::Closed);
        assert!(b.failure(), "third failure opens");
        assert_eq!(b.state(), CircuitState::Open);
        assert!(matches!(b.admit(), Admission::Rejected(_)));
        std::thread::sleep(Duration::from_millis(45));
        assert_eq!(b.state(), CircuitState::HalfOpen);
        assert_eq!(b.admit(), Admission::Allowed, "one trial");
        assert!(
            matches!(b.admit(), Admission::Rejected(_)),
            "only one trial at a time"
        );
        assert!(b.failure(), "failed trial re-opens");
        std::thread::sleep(Duration::from_millis(45));
        assert_eq!(b.admit(), Admission::Allowed);
        b.success();
        assert_eq!(b.state(), CircuitState::Closed);
        assert_eq!(b.admit(), Admission::Allowed);
    }
}
