//! Where the server reads the time: session expiry, the publishing worker and date-driven
//! transitions all ask a [`Clock`], so tests can set the time instead of waiting for it.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};

/// The current time, as the server sees it.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that shows a chosen instant at its creation and runs on in real time from there:
/// `offerdesk --clock-start` uses it to show a day before or after an offer's dates.
#[derive(Debug, Clone, Copy)]
pub struct StartedClock {
    start: DateTime<Utc>,
    started: std::time::Instant,
}

impl StartedClock {
    /// A clock showing `start` now.
    pub fn new(start: DateTime<Utc>) -> StartedClock {
        StartedClock {
            start,
            started: std::time::Instant::now(),
        }
    }
}

impl Clock for StartedClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed =
            chrono::Duration::from_std(self.started.elapsed()).unwrap_or(chrono::Duration::MAX);
        self.start
            .checked_add_signed(elapsed)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// A clock that stands still until a test moves it.
#[derive(Debug)]
pub struct TestClock {
    now: Mutex<DateTime<Utc>>,
}

impl TestClock {
    /// A clock showing `now`.
    pub fn new(now: DateTime<Utc>) -> TestClock {
        TestClock {
            now: Mutex::new(now),
        }
    }

    /// Shows `now` from here on.
    pub fn set(&self, now: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = now;
    }

    /// Moves the clock on by `by` (back, when negative).
    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_started_clock_begins_at_its_instant_and_runs_on() {
        let start: DateTime<Utc> = "2027-03-01T00:00:00Z".parse().unwrap();
        let clock = StartedClock::new(start);
        let first = clock.now();
        assert!(first >= start && first - start < chrono::Duration::seconds(5));
        std::thread::sleep(std::time::Duration::from_millis(20));
        let later = clock.now();
        assert!(
            later - first >= chrono::Duration::milliseconds(20),
            "{first} {later}"
        );
    }

    #[test]
    fn a_test_clock_moves_only_when_told() {
        let start = "2026-11-23T18:00:00Z".parse().unwrap();
        let clock = TestClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(chrono::Duration::hours(13));
        assert_eq!(
            clock.now(),
            "2026-11-24T07:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        clock.set(start);
        assert_eq!(clock.now(), start);
    }
}
