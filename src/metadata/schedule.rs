//! When to poll: a pure function of the time since the deploy started.
//!
//! The interval is a fifth of the elapsed time, clamped to [1 s, 10 s]. The lag between the
//! org finishing and us noticing stays near 20 % of the deploy's length, while the number of
//! polls grows only logarithmically at first, then linearly at one per 10 s: a 20 s deploy
//! takes about 12 polls, a 10-minute deploy about 70 (a fixed 1 s poller makes 600).
//!
//! `scale` stretches or shrinks every duration: 1.0 in real use; the test suite sets
//! `PORTAL_DISABLE_TIME_SCALE` to run minutes of simulated deploy in a second.

use std::time::Duration;

pub const MIN_INTERVAL: Duration = Duration::from_secs(1);
pub const MAX_INTERVAL: Duration = Duration::from_secs(10);

/// The clock of a deploy command: the poll interval and every other wait, scaled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub scale: f64,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule { scale: 1.0 }
    }
}

impl Schedule {
    /// Reads the test-only scale from `PORTAL_DISABLE_TIME_SCALE` (a positive number).
    pub fn from_env() -> Self {
        let scale = std::env::var("PORTAL_DISABLE_TIME_SCALE")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .unwrap_or(1.0);
        Schedule { scale }
    }

    /// The wait before the next poll, `elapsed` being real time since the deploy started.
    pub fn interval(&self, elapsed: Duration) -> Duration {
        let nominal = elapsed.as_secs_f64() / self.scale;
        let seconds = (nominal / 5.0).clamp(MIN_INTERVAL.as_secs_f64(), MAX_INTERVAL.as_secs_f64());
        Duration::from_secs_f64(seconds * self.scale)
    }

    /// A real duration for a nominal one (`--wait` minutes, retry pauses).
    pub fn scaled(&self, nominal: Duration) -> Duration {
        Duration::from_secs_f64(nominal.as_secs_f64() * self.scale)
    }
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
