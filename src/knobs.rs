//! Test-only switches, read once, in one place.
//!
//! The integration tests run minutes of simulated deploy in seconds by scaling every wait
//! (`PORTAL_DISABLE_TIME_SCALE`, a positive factor: 0.02 runs 50 times faster), and give a
//! big upload its own timeout (`PORTAL_DISABLE_UPLOAD_TIMEOUT_SECS`), and stop a hung stand-in
//! `sf` sooner than real use would (`PORTAL_DISABLE_SF_TIMEOUT_SECS`). They exist only in builds
//! with debug assertions (`cargo test`, `cargo build`, and the `bench-test` profile the memory
//! benchmark uses); in a release build they are inert, so no environment variable can change a
//! user's timeouts or polling.

use std::sync::OnceLock;
use std::time::Duration;

/// The switches' values for this process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Knobs {
    /// Every wait is multiplied by this: 1.0 in real use.
    pub time_scale: f64,
    /// The `deploy()` upload's timeout instead of the 10 minutes Salesforce allows.
    pub upload_timeout: Option<Duration>,
    /// How long one sf CLI command may run instead of `auth::sf_cli::TIMEOUT`.
    pub sf_timeout: Option<Duration>,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            time_scale: 1.0,
            upload_timeout: None,
            sf_timeout: None,
        }
    }
}

static KNOBS: OnceLock<Knobs> = OnceLock::new();

/// The switches, read from the environment on first use.
pub(crate) fn get() -> &'static Knobs {
    KNOBS.get_or_init(read)
}

#[cfg(debug_assertions)]
fn read() -> Knobs {
    let time_scale = std::env::var("PORTAL_DISABLE_TIME_SCALE")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(1.0);
    let upload_timeout = std::env::var("PORTAL_DISABLE_UPLOAD_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(Duration::from_secs);
    let sf_timeout = std::env::var("PORTAL_DISABLE_SF_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(Duration::from_secs);
    Knobs {
        time_scale,
        upload_timeout,
        sf_timeout,
    }
}

#[cfg(not(debug_assertions))]
fn read() -> Knobs {
    Knobs::default()
}
