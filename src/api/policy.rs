//! How calls behave under a bad network: a pace that keeps under the service's rate limit, and
//! retries with exponential backoff and jitter for calls that only read. Calls that create or
//! change something are never retried: the user sees the failure and decides.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// At most this many calls start in any one second (the service allows about 10).
pub const CALLS_PER_SECOND: usize = 7;
/// Tries of a read-only call, the first included.
pub const READ_TRIES: u32 = 3;
/// The first retry waits about this long; each next one twice as long.
pub const BACKOFF: Duration = Duration::from_millis(300);
/// After a 429 the first retry waits at least about this long (past the limit's one-second
/// window, with jitter so that the calls that were refused together do not come back together).
pub const RATE_LIMIT_BACKOFF: Duration = Duration::from_millis(2000);

/// How long a pace halved by a 429 stays halved.
pub const SLOW_DOWN_FOR: Duration = Duration::from_secs(30);

/// A sliding window of call start times, shared by every clone of a client. A server that
/// answers 429 halves the pace for a while: some hosts allow fewer calls than others, and some
/// lock an address out after repeated refusals.
#[derive(Debug)]
pub struct Pacer {
    starts: Mutex<VecDeque<Instant>>,
    max: usize,
    per: Duration,
    /// (calls allowed per window while slowed down, until when).
    slowed: std::sync::Mutex<Option<(usize, Instant)>>,
}

impl Pacer {
    pub fn new(max: usize, per: Duration) -> Pacer {
        Pacer {
            starts: Mutex::new(VecDeque::with_capacity(max + 1)),
            max: max.max(1),
            per,
            slowed: std::sync::Mutex::new(None),
        }
    }

    /// Calls allowed per window now.
    pub fn allowed(&self) -> usize {
        let mut slowed = self.slowed.lock().unwrap_or_else(|e| e.into_inner());
        match *slowed {
            Some((n, until)) if Instant::now() < until => n,
            Some(_) => {
                *slowed = None;
                self.max
            }
            None => self.max,
        }
    }

    /// Halves the pace (down to one call per window) for [`SLOW_DOWN_FOR`].
    pub fn slow_down(&self) {
        let halved = (self.allowed() / 2).max(1);
        let mut slowed = self.slowed.lock().unwrap_or_else(|e| e.into_inner());
        *slowed = Some((halved, Instant::now() + SLOW_DOWN_FOR));
    }

    /// Waits until a call may start without passing the allowed starts in any `per`.
    pub async fn wait_turn(&self) {
        loop {
            let allowed = self.allowed();
            let wait = {
                let mut starts = self.starts.lock().await;
                let now = Instant::now();
                while starts
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= self.per)
                {
                    starts.pop_front();
                }
                if starts.len() < allowed {
                    starts.push_back(now);
                    return;
                }
                match starts.front() {
                    Some(oldest) => (*oldest + self.per).saturating_duration_since(now),
                    None => Duration::ZERO,
                }
            };
            tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
        }
    }
}

/// How long to wait before try number `attempt + 1` (attempt 0 is the first retry): doubling,
/// with "full jitter" between half and all of it, so that many clients do not retry in step.
pub fn backoff(attempt: u32, base: Duration) -> Duration {
    let full = base.saturating_mul(1u32 << attempt.min(8));
    let half = full / 2;
    half + Duration::from_millis(fastrand::u64(0..=half.as_millis() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn never_more_than_max_starts_in_a_window() {
        let pacer = Pacer::new(3, Duration::from_secs(1));
        let t0 = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..7 {
            pacer.wait_turn().await;
            starts.push(Instant::now().duration_since(t0));
        }
        for (i, t) in starts.iter().enumerate().skip(3) {
            assert!(*t >= starts[i - 3] + Duration::from_secs(1), "{starts:?}");
        }
        assert!(
            starts[2] < Duration::from_millis(10),
            "a burst of 3 goes at once"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_halves_the_pace_for_a_while() {
        let pacer = Pacer::new(8, Duration::from_secs(1));
        pacer.slow_down();
        assert_eq!(pacer.allowed(), 4);
        pacer.slow_down();
        assert_eq!(pacer.allowed(), 2);
        tokio::time::advance(SLOW_DOWN_FOR + Duration::from_secs(1)).await;
        assert_eq!(pacer.allowed(), 8);
    }

    #[test]
    fn backoff_doubles_with_jitter() {
        for attempt in 0..4 {
            let full = BACKOFF * (1 << attempt);
            let d = backoff(attempt, BACKOFF);
            assert!(d >= full / 2 && d <= full, "{attempt}: {d:?}");
        }
    }
}
