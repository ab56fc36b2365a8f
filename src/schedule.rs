//! The clock of every command that talks to an org: when to poll (a pure function of the
//! time since the deploy started), how long to back off after a failure, and every wait,
//! scaled by the tests' clock (`knobs.rs`).
//!
//! The interval is a fifth of the elapsed time, clamped to [1 s, 10 s]. The lag between the
//! org finishing and us noticing stays near 20 % of the deploy's length, while the number of
//! polls grows only logarithmically at first, then linearly at one per 10 s: a 20 s deploy
//! takes about 12 polls, a 10-minute deploy about 70 (a fixed 1 s poller makes 600).
//!
//! `scale` stretches or shrinks every duration: 1.0 in real use; the test suite scales time
//! down through the test-only switches of `knobs.rs` to run minutes of simulated deploy in a
//! second.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub(crate) const MIN_INTERVAL: Duration = Duration::from_secs(1);
pub(crate) const MAX_INTERVAL: Duration = Duration::from_secs(10);

/// The clock of a deploy command: the poll interval and every other wait, scaled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Schedule {
    pub scale: f64,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule { scale: 1.0 }
    }
}

impl Schedule {
    /// The process's clock: real time, or the tests' scaled time (`knobs.rs`).
    pub(crate) fn from_env() -> Self {
        Schedule {
            scale: crate::knobs::get().time_scale,
        }
    }

    /// The wait before the next poll, `elapsed` being real time since the deploy started.
    pub(crate) fn interval(&self, elapsed: Duration) -> Duration {
        let nominal = elapsed.as_secs_f64() / self.scale;
        let seconds = (nominal / 5.0).clamp(MIN_INTERVAL.as_secs_f64(), MAX_INTERVAL.as_secs_f64());
        self.scaled(Duration::from_secs_f64(seconds))
    }

    /// A real duration for a nominal one (`--wait` minutes, retry pauses), saturating: a
    /// `Retry-After` of `u64::MAX` seconds must not panic.
    pub(crate) fn scaled(&self, nominal: Duration) -> Duration {
        Duration::try_from_secs_f64(nominal.as_secs_f64() * self.scale).unwrap_or(Duration::MAX)
    }
}

/// The pause before retrying after the `streak`-th failure in a row (1 for the first):
/// 1 s doubling up to 10 s, each pause moved by up to ±20 % so that many CI jobs hit by one
/// outage do not poll in step. `jitter` is a number in [0, 1).
pub(crate) fn backoff(streak: u32, jitter: f64) -> Duration {
    let nominal = MIN_INTERVAL.as_secs_f64() * 2f64.powi(streak.saturating_sub(1).min(16) as i32);
    let capped = nominal.min(MAX_INTERVAL.as_secs_f64());
    Duration::from_secs_f64(capped * (0.8 + 0.4 * jitter.clamp(0.0, 1.0)))
}

/// A number in [0, 1) for the jitter: no cryptography needed, only processes that differ.
pub(crate) fn jitter() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut x = STATE.load(Ordering::Relaxed);
    if x == 0 {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        x = nanos ^ (u64::from(std::process::id()) << 32) | 1;
    }
    // xorshift64
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    STATE.store(x, Ordering::Relaxed);
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// How long ago a Salesforce timestamp (`2020-10-28T13:33:25.000Z`, or `+0000` as REST writes
/// it) was, by the local clock; `None` when unreadable or in the future. Lets `report` pick up
/// a job's poll interval where a deploy that has run for minutes left it.
pub(crate) fn age(timestamp: &str, now: SystemTime) -> Option<Duration> {
    let t = timestamp.trim();
    let number = |range: std::ops::Range<usize>| t.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let zone = t.get(19..)?;
    let zone = zone.strip_prefix('.').map_or(zone, |rest| {
        rest.trim_start_matches(|c: char| c.is_ascii_digit())
    });
    if !matches!(zone, "Z" | "+0000" | "+00:00") || !(1..=12).contains(&month) {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    let then = UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).ok()?);
    now.duration_since(then).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Poll times until the first poll at or after `length` seconds.
    fn polls(length: f64) -> Vec<f64> {
        let schedule = Schedule::default();
        let mut t = 0.0;
        let mut times = Vec::new();
        while t < length {
            t += schedule.interval(Duration::from_secs_f64(t)).as_secs_f64();
            times.push(t);
        }
        times
    }

    #[test]
    fn a_fifth_of_the_elapsed_time_between_1_and_10_seconds() {
        let s = Schedule::default();
        assert_eq!(s.interval(Duration::ZERO), MIN_INTERVAL);
        assert_eq!(s.interval(Duration::from_secs(20)), Duration::from_secs(4));
        assert_eq!(s.interval(Duration::from_secs(3600)), MAX_INTERVAL);
    }

    #[test]
    fn a_20_second_deploy_takes_about_12_polls_with_under_4_seconds_lag() {
        let times = polls(20.0);
        assert!((11..=14).contains(&times.len()), "{times:?}");
        let lag = times.last().copied().unwrap_or_default() - 20.0;
        assert!(lag < 4.0, "{lag}");
    }

    #[test]
    fn a_10_minute_deploy_takes_about_70_polls() {
        let count = polls(600.0).len();
        assert!((60..=80).contains(&count), "{count}");
    }

    #[test]
    fn age_of_salesforce_timestamps() {
        let now = UNIX_EPOCH + Duration::from_secs(1_603_892_009); // 2020-10-28T13:33:29Z
        assert_eq!(
            age("2020-10-28T13:33:25.000Z", now),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            age("2020-10-28T13:33:25.000+0000", now),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            age("2020-10-28T13:33:25Z", now),
            Some(Duration::from_secs(4))
        );
        assert_eq!(age("2020-10-28T13:33:30.000Z", now), None);
        assert_eq!(age("2020-10-28 13:33:25", now), None);
        assert_eq!(age("yesterday", now), None);
    }

    #[test]
    fn backoff_doubles_to_10_seconds_within_20_percent() {
        let secs = |streak, jitter| backoff(streak, jitter).as_secs_f64();
        assert!((secs(1, 0.5) - 1.0).abs() < 1e-9);
        assert!((secs(2, 0.5) - 2.0).abs() < 1e-9);
        assert!((secs(4, 0.5) - 8.0).abs() < 1e-9);
        assert!((secs(5, 0.5) - 10.0).abs() < 1e-9);
        assert!((secs(1000, 0.5) - 10.0).abs() < 1e-9);
        assert!((secs(1, 0.0) - 0.8).abs() < 1e-9);
        assert!(secs(5, 0.999_999) <= 12.0);
        for _ in 0..1000 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
    }

    #[test]
    fn huge_waits_saturate() {
        let s = Schedule::default();
        assert_eq!(s.scaled(Duration::MAX), Duration::MAX);
        assert_eq!(s.scaled(Duration::from_secs(u64::MAX)), Duration::MAX);
    }

    #[test]
    fn scale_shrinks_every_wait() {
        let s = Schedule { scale: 0.01 };
        assert_eq!(s.interval(Duration::ZERO), Duration::from_millis(10));
        assert_eq!(
            s.interval(Duration::from_millis(200)),
            Duration::from_millis(40)
        );
        assert_eq!(
            s.scaled(Duration::from_secs(60)),
            Duration::from_millis(600)
        );
    }
}
