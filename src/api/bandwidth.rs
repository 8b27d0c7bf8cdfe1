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
mod tests {
    // The bucket on tokio's paused clock (no wall-clock timing), and the parsing of rates.

    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use futures_util::StreamExt;
    use tokio::time::{Duration, Instant};

    use super::*;

    /// Sends pieces as an upload does until `until`; the bytes granted.
    async fn send_until(bw: Arc<Bandwidth>, until: Instant, counter: Arc<AtomicU64>) {
        while Instant::now() < until {
            let n = bw.piece().min(1 << 20);
            if bw.acquire(n).await {
                counter.fetch_add(n as u64, Ordering::Relaxed);
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_rate_over_seconds_stays_at_the_limit() {
        let bw = Arc::new(Bandwidth::new(Some(1_000_000)));
        let sent = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        send_until(bw.clone(), start + Duration::from_secs(10), sent.clone()).await;
        let bytes = sent.load(Ordering::Relaxed) as f64;
        let secs = start.elapsed().as_secs_f64();
        // From the start, never beyond the rate; and no less than it.
        assert!(bytes <= 1_000_000.0 * secs + 1.0, "{bytes} in {secs}s");
        assert!(bytes >= 1_000_000.0 * 9.95, "{bytes} in {secs}s");
    }

    #[tokio::test(start_paused = true)]
    async fn after_a_pause_a_tenth_of_a_second_goes_at_once_no_more() {
        let bw = Bandwidth::new(Some(1_000_000));
        let asked = Instant::now();
        assert!(bw.acquire(50_000).await);
        assert_eq!(
            asked.elapsed(),
            Duration::from_millis(50),
            "nothing saved up at the start"
        );
        tokio::time::sleep(Duration::from_secs(10)).await;
        let asked = Instant::now();
        for _ in 0..2 {
            assert!(bw.acquire(50_000).await);
        }
        assert_eq!(
            asked.elapsed(),
            Duration::ZERO,
            "a tenth of a second saved up"
        );
        assert!(bw.acquire(50_000).await);
        assert_eq!(asked.elapsed(), Duration::from_millis(50), "and no more");
    }

    #[tokio::test(start_paused = true)]
    async fn parallel_uploads_share_the_limit_evenly() {
        let bw = Arc::new(Bandwidth::new(Some(1_000)));
        let until = Instant::now() + Duration::from_secs(30);
        let counters: Vec<Arc<AtomicU64>> = (0..3).map(|_| Arc::new(AtomicU64::new(0))).collect();
        let tasks: Vec<_> = counters
            .iter()
            .map(|c| tokio::spawn(send_until(bw.clone(), until, c.clone())))
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let each: Vec<u64> = counters.iter().map(|c| c.load(Ordering::Relaxed)).collect();
        let total: u64 = each.iter().sum();
        assert!((29_000..=30_200).contains(&total), "{each:?}");
        for n in &each {
            // None starves: each within a few pieces of a third.
            assert!(n.abs_diff(total / 3) <= 200, "{each:?}");
        }
    }

    /// An upload asking for `bytes` in a task of its own: whether it was granted them, when it
    /// asked and when it woke.
    fn asks(
        bw: &Arc<Bandwidth>,
        bytes: usize,
    ) -> tokio::task::JoinHandle<(bool, Instant, Instant)> {
        let bw = bw.clone();
        tokio::spawn(async move {
            let asked = Instant::now();
            let granted = bw.acquire(bytes).await;
            (granted, asked, Instant::now())
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_change_reaches_an_upload_already_waiting() {
        let bw = Arc::new(Bandwidth::new(Some(100)));
        // The next 1000 bytes would take ten seconds.
        let waiter = asks(&bw, 1_000);
        tokio::time::sleep(Duration::from_millis(200)).await;
        bw.set_rate(Some(1_000_000));
        let (granted, asked, woke) = waiter.await.unwrap();
        assert!(!granted, "the old ticket is void");
        let waited = woke - asked;
        assert!(waited < Duration::from_millis(250), "{waited:?}");
        // Asked again at the new limit: no waiting to speak of.
        let asked = Instant::now();
        assert!(bw.acquire(1_000).await);
        assert!(asked.elapsed() < Duration::from_millis(5));
        assert_eq!(bw.rate(), Some(1_000_000));
        assert_eq!(bw.piece(), 50_000);
    }

    #[tokio::test(start_paused = true)]
    async fn no_limit_lets_everything_through_at_once() {
        let bw = Arc::new(Bandwidth::new(Some(10)));
        let waiter = asks(&bw, 10_000);
        tokio::time::sleep(Duration::from_millis(10)).await;
        bw.set_rate(None);
        let lifted = Instant::now();
        let (granted, _, woke) = waiter.await.unwrap();
        assert!(!granted);
        assert_eq!(woke, lifted, "woken when the limit was lifted");
        let asked = Instant::now();
        assert!(bw.acquire(usize::MAX / 2).await);
        assert_eq!(asked.elapsed(), Duration::ZERO);
        assert_eq!(bw.piece(), usize::MAX);
        assert_eq!(Bandwidth::new(Some(0)).rate(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_upload_gives_its_turn_back() {
        let bw = Arc::new(Bandwidth::new(Some(100)));
        // Ten seconds' worth asked for, then dropped after one.
        let first = asks(&bw, 1_000);
        tokio::time::sleep(Duration::from_millis(10)).await;
        let second = asks(&bw, 50);
        tokio::time::sleep(Duration::from_secs(1)).await;
        first.abort();
        let (_, asked, woke) = second.await.unwrap();
        let waited = woke - asked;
        assert!(waited < Duration::from_secs(2), "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn the_stream_keeps_every_byte_in_small_pieces() {
        let bw = Arc::new(Bandwidth::new(Some(1_000)));
        let chunks: Vec<Result<Bytes, std::io::Error>> =
            (0..4u8).map(|i| Ok(Bytes::from(vec![i; 1_000]))).collect();
        let start = Instant::now();
        let pieces: Vec<Bytes> = limited(futures_util::stream::iter(chunks), bw)
            .map(|p| p.unwrap())
            .collect()
            .await;
        assert!(
            pieces.iter().all(|p| p.len() <= 50),
            "1 KB/s: 50-byte pieces"
        );
        let joined: Vec<u8> = pieces.iter().flat_map(|p| p.iter().copied()).collect();
        let expected: Vec<u8> = (0..4u8).flat_map(|i| vec![i; 1_000]).collect();
        assert_eq!(joined, expected);
        // 4000 bytes at 1000 a second.
        let secs = start.elapsed().as_secs_f64();
        assert!((3.99..=4.01).contains(&secs), "{secs}");
    }

    #[test]
    fn rates_read_as_rclone_reads_them_with_decimal_units() {
        let ok = |t: &str| parse_rate(t).unwrap();
        assert_eq!(ok("500K"), Some(500_000));
        assert_eq!(ok("500k"), Some(500_000));
        assert_eq!(ok("2M"), Some(2_000_000));
        assert_eq!(ok("1.5M"), Some(1_500_000));
        assert_eq!(ok("2MB/s"), Some(2_000_000));
        assert_eq!(ok(" 750000 "), Some(750_000));
        assert_eq!(ok("750000B"), Some(750_000));
        assert_eq!(ok("1MiB"), Some(1_048_576));
        assert_eq!(ok("64Ki"), Some(65_536));
        assert_eq!(ok("1G"), Some(1_000_000_000));
        assert_eq!(ok("2 M"), Some(2_000_000));
        for off in ["0", "0K", "off", "OFF", "none", "unlimited", "0.0M"] {
            assert_eq!(ok(off), None, "{off}");
        }
        for bad in [
            "", "fast", "-1M", "1e6", "1.M", ".5M", "1..5M", "2Mbit", "5T", "M", "0.0001",
        ] {
            let err = parse_rate(bad).unwrap_err();
            assert!(!err.is_empty(), "{bad}");
        }
        assert!(parse_rate("fast").unwrap_err().contains("500K"));
        assert!(parse_rate("99999999G").unwrap_err().contains("more than"));
    }

    #[test]
    fn rates_show_as_sizes_and_type_back_as_given() {
        assert_eq!(describe(Some(1_000_000)), "1 MB/s");
        assert_eq!(describe(Some(1_500_000)), "1.5 MB/s");
        assert_eq!(describe(None), "no limit");
        assert_eq!(BwLimit(Some(500_000)).to_string(), "500 kB/s");
        for (rate, typed) in [
            (1_000_000, "1M"),
            (1_500_000, "1.5M"),
            (512_000, "512K"),
            (1_048_576, "1MiB"),
            (2_048, "2KiB"),
            (1_250_000, "1250K"),
            (1_234, "1234"),
            (3_000_000_000, "3G"),
        ] {
            assert_eq!(as_typed(Some(rate)), typed);
            assert_eq!(parse_rate(typed).unwrap(), Some(rate), "{typed}");
        }
        assert_eq!(as_typed(None), "");
    }

    proptest::proptest! {
        #[test]
        fn every_rate_types_back_as_itself(rate in 1u64..10_000_000_000) {
            proptest::prop_assert_eq!(parse_rate(&as_typed(Some(rate))).unwrap(), Some(rate));
        }
    }
}
