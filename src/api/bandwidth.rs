//! The bandwidth limit: one token bucket shared by every upload of the process, so that all of
//! them together send at most the limit, measured over any few seconds. Parallel uploads take
//! their turns in the order they asked (none starves); the limit can change while they run,
//! and a change reaches the uploads already waiting at once.
//!
//! Rates read as rclone's do, with decimal units as every size in mp4u reads: `500K` is
//! 500,000 bytes a second, `2M` 2,000,000, `1.5M` 1,500,000; `KiB`, `MiB`, `GiB` are the
//! 1024-based ones; a bare number is bytes; `0` or `off` is no limit.

use std::pin::pin;
use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use tokio::sync::Notify;
use tokio::time::Instant;

/// How long a piece sent in one go lasts at the limit: pieces are cut this small so that even
/// 1 KB/s moves smoothly (and the stall watchdog sees progress).
const PIECE_TIME_DIVISOR: u64 = 20;
/// The largest piece sent in one go (a chunk read from disk is cut into pieces).
const MAX_PIECE: u64 = 64 * 1024;
/// What may go out at once after a pause (never at the start, nor after a change): a tenth of
/// a second at the limit. Small, so that the rate over a few seconds stays at the limit.
const BURST_DIVISOR: u64 = 10;

/// A limit on the total upload rate, shared (in an `Arc`) by every upload.
#[derive(Debug)]
pub struct Bandwidth {
    state: Mutex<Bucket>,
    /// Wakes the waiting uploads when the limit changes (or a wait ahead of them is dropped).
    changed: Notify,
}

#[derive(Debug)]
struct Bucket {
    /// Bytes a second; `None`: no limit.
    rate: Option<u64>,
    /// Bytes the bucket has let through since it (re)started, as of `at`.
    paid: f64,
    /// Bytes asked for since it (re)started: a wait lasts until `paid` reaches its ticket.
    taken: f64,
    at: Instant,
    /// Counts the changes of the limit: a ticket of an older one is void.
    generation: u64,
}

impl Bucket {
    /// Credits the time since `at` at the rate, at most a burst beyond what was asked for.
    fn credit(&mut self, now: Instant) {
        if let Some(rate) = self.rate {
            let secs = now.saturating_duration_since(self.at).as_secs_f64();
            self.paid = (self.paid + secs * rate as f64).min(self.taken + burst(rate) as f64);
        }
        self.at = now;
    }
}

fn burst(rate: u64) -> u64 {
    (rate / BURST_DIVISOR).max(piece_for(rate))
}

fn piece_for(rate: u64) -> u64 {
    (rate / PIECE_TIME_DIVISOR).clamp(1, MAX_PIECE)
}

impl Bandwidth {
    /// A limit of `rate` bytes a second (`None` or `Some(0)`: none).
    pub fn new(rate: Option<u64>) -> Bandwidth {
        let rate = rate.filter(|r| *r > 0);
        Bandwidth {
            state: Mutex::new(Bucket {
                rate,
                // Empty to start with: a transfer from the start keeps to the limit exactly.
                paid: 0.0,
                taken: 0.0,
                at: Instant::now(),
                generation: 0,
            }),
            changed: Notify::new(),
        }
    }

    fn bucket(&self) -> std::sync::MutexGuard<'_, Bucket> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The limit in bytes a second; `None`: no limit.
    pub fn rate(&self) -> Option<u64> {
        self.bucket().rate
    }

    /// Changes the limit (`None` or `Some(0)`: none). Uploads waiting on the old limit wake and
    /// wait again on the new one; nothing carries over, neither a burst nor a debt.
    pub fn set_rate(&self, rate: Option<u64>) {
        let rate = rate.filter(|r| *r > 0);
        {
            let mut bucket = self.bucket();
            bucket.rate = rate;
            bucket.paid = 0.0;
            bucket.taken = 0.0;
            bucket.at = Instant::now();
            bucket.generation += 1;
        }
        self.changed.notify_waiters();
    }

    /// How many bytes to send in one go at the current limit (`usize::MAX`: any).
    pub fn piece(&self) -> usize {
        self.rate().map_or(usize::MAX, |r| {
            usize::try_from(piece_for(r)).unwrap_or(usize::MAX)
        })
    }

    /// Waits until `n` bytes may go out. `false`: the limit changed meanwhile and nothing was
    /// granted; ask again (with a piece of the new size).
    pub async fn acquire(&self, n: usize) -> bool {
        let (ticket, generation) = {
            let mut bucket = self.bucket();
            if bucket.rate.is_none() {
                return true;
            }
            bucket.credit(Instant::now());
            bucket.taken += n as f64;
            (bucket.taken, bucket.generation)
        };
        // Given back if the upload stops while it waits (the others need not wait for it).
        let mut refund = Refund {
            bandwidth: self,
            bytes: n as f64,
            generation,
        };
        loop {
            let mut notified = pin!(self.changed.notified());
            // Registered before the check, so a change between the two is not missed.
            notified.as_mut().enable();
            let deadline = {
                let mut bucket = self.bucket();
                if bucket.generation != generation {
                    refund.bytes = 0.0;
                    return false;
                }
                let Some(rate) = bucket.rate else {
                    return true;
                };
                bucket.credit(Instant::now());
                if bucket.paid >= ticket {
                    refund.bytes = 0.0;
                    return true;
                }
                bucket.at + Duration::from_secs_f64((ticket - bucket.paid) / rate as f64)
            };
            tokio::select! {
                () = tokio::time::sleep_until(deadline) => {}
                () = notified => {}
            }
        }
    }
}

/// Gives back the bytes of a wait that was dropped before it was granted.
struct Refund<'a> {
    bandwidth: &'a Bandwidth,
    bytes: f64,
    generation: u64,
}

impl Drop for Refund<'_> {
    fn drop(&mut self) {
        if self.bytes > 0.0 {
            {
                let mut bucket = self.bandwidth.bucket();
                if bucket.generation != self.generation {
                    return;
                }
                bucket.paid += self.bytes;
            }
            // The others' turns came earlier: they look again.
            self.bandwidth.changed.notify_waiters();
        }
    }
}

/// `stream`'s chunks, cut into pieces sized for the limit, each let out when the limit allows.
/// Nothing is held beyond the chunk being sent.
pub fn limited<S, E>(
    stream: S,
    bandwidth: std::sync::Arc<Bandwidth>,
) -> impl Stream<Item = Result<Bytes, E>> + Send + 'static
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Send + 'static,
{
    use futures_util::StreamExt;
    futures_util::stream::unfold(
        (Box::pin(stream), Bytes::new(), bandwidth),
        |(mut inner, mut rest, bandwidth)| async move {
            if rest.is_empty() {
                match inner.next().await? {
                    Ok(chunk) => rest = chunk,
                    Err(e) => return Some((Err(e), (inner, rest, bandwidth))),
                }
            }
            loop {
                let n = rest.len().min(bandwidth.piece());
                if bandwidth.acquire(n).await {
                    let piece = rest.split_to(n);
                    return Some((Ok(piece), (inner, rest, bandwidth)));
                }
            }
        },
    )
}

/// A bandwidth limit as given: `--bwlimit 2M`, `bwlimit = "2M"`, or typed in the transfers view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BwLimit(pub Option<u64>);

impl BwLimit {
    /// Bytes a second; `None`: no limit.
    pub fn rate(self) -> Option<u64> {
        self.0
    }
}

impl std::str::FromStr for BwLimit {
    type Err = String;
    fn from_str(text: &str) -> Result<BwLimit, String> {
        parse_rate(text).map(BwLimit)
    }
}

impl std::fmt::Display for BwLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&describe(self.0))
    }
}

/// What a rate means, for people: `1 MB/s`, `no limit`.
pub fn describe(rate: Option<u64>) -> String {
    match rate {
        Some(r) => format!("{}/s", crate::format::size(r)),
        None => "no limit".into(),
    }
}

/// A rate as the user would type it again: `1M`, `1.5M`, `500K`, `1MiB`, `12345`; empty for
/// no limit.
pub fn as_typed(rate: Option<u64>) -> String {
    let Some(r) = rate else {
        return String::new();
    };
    for (unit, size) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if r % size == 0 && r >= size && r % 1000 != 0 {
            return format!("{}{unit}", r / size);
        }
    }
    for (unit, size) in [("G", 1_000_000_000u64), ("M", 1_000_000), ("K", 1_000)] {
        // Whole or with one decimal: 1.5M.
        if r >= size && r % (size / 10).max(1) == 0 {
            let whole = r / size;
            let tenth = r % size / (size / 10).max(1);
            return if tenth == 0 {
                format!("{whole}{unit}")
            } else {
                format!("{whole}.{tenth}{unit}")
            };
        }
    }
    r.to_string()
}

/// Parses a rate: a number, optionally with a decimal part, then a unit (`K`, `M`, `G`: 1000,
/// 1000², 1000³; `KiB`, `MiB`, `GiB` (or `Ki`…): 1024-based; `B` or nothing: bytes; any case,
/// an optional `B` after `K`/`M`/`G`, an optional `/s`). `0`, `off`, `none`, `unlimited`: no
/// limit (`Ok(None)`).
pub fn parse_rate(text: &str) -> Result<Option<u64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("no rate given: try 500K, 2M or off".into());
    }
    if ["off", "none", "unlimited", "no"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w))
    {
        return Ok(None);
    }
    let t = t
        .strip_suffix("/s")
        .or_else(|| t.strip_suffix("/S"))
        .unwrap_or(t)
        .trim_end();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let bad = || {
        format!(
            "{:?} is not a rate: give bytes a second like 500K, 2M or 1.5M (K = 1000, \
             KiB = 1024), or 0 or off for no limit",
            text.trim()
        )
    };
    if number.is_empty() || number.starts_with('.') || number.ends_with('.') {
        return Err(bad());
    }
    let value: f64 = number.parse().map_err(|_| bad())?;
    let multiplier: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "ki" | "kib" => 1 << 10,
        "mi" | "mib" => 1 << 20,
        "gi" | "gib" => 1 << 30,
        _ => return Err(bad()),
    };
    let bytes = value * multiplier as f64;
    if !bytes.is_finite() || bytes > 1e15 {
        return Err(format!("{:?} is more than any link carries", text.trim()));
    }
    let bytes = bytes.round() as u64;
    if bytes == 0 {
        if value == 0.0 {
            return Ok(None);
        }
        return Err(format!(
            "{:?} is less than a byte a second; 0 or off means no limit",
            text.trim()
        ));
    }
    Ok(Some(bytes))
}

#[cfg(test)]
#[path = "bandwidth_tests.rs"]
mod tests;
