//! The bucket on tokio's paused clock (no wall-clock timing), and the parsing of rates.

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

#[tokio::test(start_paused = true)]
async fn a_change_reaches_an_upload_already_waiting() {
    let bw = Arc::new(Bandwidth::new(Some(100)));
    // The next 1000 bytes would take ten seconds.
    let waiter = {
        let bw = bw.clone();
        tokio::spawn(async move {
            let asked = Instant::now();
            let granted = bw.acquire(1_000).await;
            (granted, asked.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    bw.set_rate(Some(1_000_000));
    let (granted, waited) = waiter.await.unwrap();
    assert!(!granted, "the old ticket is void");
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
    let waiter = {
        let bw = bw.clone();
        tokio::spawn(async move {
            let granted = bw.acquire(10_000).await;
            (granted, Instant::now())
        })
    };
    tokio::time::sleep(Duration::from_millis(10)).await;
    bw.set_rate(None);
    let lifted = Instant::now();
    let (granted, woke) = waiter.await.unwrap();
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
    let first = {
        let bw = bw.clone();
        tokio::spawn(async move { bw.acquire(1_000).await })
    };
    tokio::time::sleep(Duration::from_millis(10)).await;
    let second = {
        let bw = bw.clone();
        tokio::spawn(async move {
            let asked = Instant::now();
            bw.acquire(50).await;
            asked.elapsed()
        })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    first.abort();
    let waited = second.await.unwrap();
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
