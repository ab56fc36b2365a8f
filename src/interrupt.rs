//! Ctrl-C (SIGINT, and SIGTERM as CI runners send it) during a deploy command.
//!
//! Killing the process would lose the one thing the user needs: the job id, since the deploy
//! keeps running on the org. So the handler only raises a flag; the poll loop checks it
//! between short sleeps and ends with [`crate::error::Error::Interrupted`] (exit 130), which
//! the command reports with the job id (and, with `--cancel-on-interrupt`, cancels first).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// The job being followed, for the message of a second Ctrl-C.
static JOB: Mutex<Option<String>> = Mutex::new(None);

/// Names the job a second Ctrl-C leaves running.
pub(crate) fn set_job(id: &str) {
    if let Ok(mut job) = JOB.lock() {
        *job = Some(id.to_string());
    }
}

/// Installs the handler; a second call (or a failure to install) leaves the default
/// behaviour, which still stops the process.
pub(crate) fn install() {
    let _ = ctrlc::set_handler(|| {
        // The handler runs on its own thread, not in the signal context: exiting is safe.
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            let job = JOB.try_lock().ok().and_then(|job| job.clone());
            match job {
                Some(id) => crate::output::stderr_line(&format!(
                    "portal-disable: interrupted again; exiting now (job {id} may still be running: `portal-disable report {id}` shows it)"
                )),
                None => {
                    crate::output::stderr_line("portal-disable: interrupted again; exiting now")
                }
            }
            std::process::exit(i32::from(crate::exit::INTERRUPTED));
        }
    });
}

/// True once the user asked to stop.
pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Sleeps `duration` in short slices; returns false as soon as an interrupt arrives.
pub(crate) fn sleep(duration: Duration) -> bool {
    let end = Instant::now() + duration;
    loop {
        if interrupted() {
            return false;
        }
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(Duration::from_millis(50)));
    }
}
