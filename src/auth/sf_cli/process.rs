//! Running one sf CLI command with bounds: its output is read up to a limit per stream and the
//! command is stopped when it does not end in time, so a hung or runaway `sf` cannot hang
//! portal-disable or fill its memory.
//!
//! stdin is closed (the sf CLI never waits for a prompt answer), stdout and stderr are read
//! on their own threads while the main thread waits for the exit, and the output is only ever
//! parsed, never printed: stdout carries an access token.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What a finished command left.
pub(super) struct Output {
    /// The exit code; None when a signal ended it.
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Why there is no [`Output`].
#[derive(Debug)]
pub(super) enum RunError {
    /// The program is not on the PATH.
    NotFound,
    /// It could not be started for another reason (permissions, a broken interpreter line).
    Spawn(std::io::Error),
    /// It did not end within the timeout and was killed.
    TimedOut(Duration),
    /// It wrote more than the limit to this stream ("stdout", "stderr").
    TooLarge(&'static str, u64),
    /// It ended, but something it started still holds its output open.
    OutputNotClosed,
    /// `stop` asked to stop waiting (Ctrl-C); it was killed.
    Stopped,
}

/// How much to read and how long to wait.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub stdout: u64,
    pub stderr: u64,
    pub timeout: Duration,
}

/// How long to wait for the streams to close once the process has ended.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// Runs `program` with `args` and extra environment `env`, within `limits`; `stop` is asked
/// while it runs whether to kill it now.
pub(super) fn run(
    program: &str,
    args: &[String],
    env: &[(&str, &str)],
    limits: Limits,
    stop: &dyn Fn() -> bool,
) -> Result<Output, RunError> {
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => RunError::NotFound,
        _ => RunError::Spawn(e),
    })?;
    let stdout = child.stdout.take().map(|pipe| drain(pipe, limits.stdout));
    let stderr = child.stderr.take().map(|pipe| drain(pipe, limits.stderr));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::Spawn(e));
            }
        }
        let elapsed = started.elapsed();
        if elapsed >= limits.timeout || stop() {
            let _ = child.kill();
            let _ = child.wait();
            return Err(if elapsed >= limits.timeout {
                RunError::TimedOut(limits.timeout)
            } else {
                RunError::Stopped
            });
        }
        std::thread::sleep(Duration::from_millis(10).min(limits.timeout - elapsed));
    };
    let stdout = collect(stdout, "stdout", limits.stdout)?;
    let stderr = collect(stderr, "stderr", limits.stderr)?;
    Ok(Output {
        code: status.code(),
        stdout,
        stderr,
    })
}

/// What a reader thread found: the bytes kept, and whether there were more than the limit.
type Drained = std::io::Result<(Vec<u8>, bool)>;

/// Reads `pipe` to its end on a thread, keeping at most `limit` bytes; the rest is read and
/// dropped, so the writer never blocks on a full pipe.
fn drain(mut pipe: impl Read + Send + 'static, limit: u64) -> mpsc::Receiver<Drained> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let result = (&mut pipe)
            .take(limit.saturating_add(1))
            .read_to_end(&mut kept)
            .and_then(|_| {
                let over = kept.len() as u64 > limit;
                if over {
                    kept.truncate(0);
                    std::io::copy(&mut pipe, &mut std::io::sink())?;
                }
                Ok((kept, over))
            });
        let _ = send.send(result);
    });
    receive
}

fn collect(
    receiver: Option<mpsc::Receiver<Drained>>,
    stream: &'static str,
    limit: u64,
) -> Result<Vec<u8>, RunError> {
    let Some(receiver) = receiver else {
        return Ok(Vec::new());
    };
    match receiver.recv_timeout(CLOSE_GRACE) {
        Ok(Ok((_, true))) => Err(RunError::TooLarge(stream, limit)),
        Ok(Ok((bytes, false))) => Ok(bytes),
        Ok(Err(e)) => Err(RunError::Spawn(e)),
        Err(_) => Err(RunError::OutputNotClosed),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str, limits: Limits) -> Result<Output, RunError> {
        run(
            "sh",
            &["-c".to_string(), script.to_string()],
            &[],
            limits,
            &|| false,
        )
    }

    const LIMITS: Limits = Limits {
        stdout: 1024,
        stderr: 64,
        timeout: Duration::from_secs(20),
    };

    #[test]
    fn output_and_exit_code() {
        let out = sh("printf 'hello'; printf 'oops' >&2; exit 3", LIMITS);
        let Ok(out) = out else { panic!("did not run") };
        assert_eq!(out.code, Some(3));
        assert_eq!(out.stdout, b"hello");
        assert_eq!(out.stderr, b"oops");
    }

    #[test]
    fn the_environment_is_passed() {
        let out = run(
            "sh",
            &[
                "-c".to_string(),
                "printf '%s' \"$PD_TEST_VALUE\"".to_string(),
            ],
            &[("PD_TEST_VALUE", "set")],
            LIMITS,
            &|| false,
        );
        assert_eq!(out.map(|o| o.stdout).ok(), Some(b"set".to_vec()));
    }

    #[test]
    fn a_hung_command_is_stopped_at_the_timeout() {
        let limits = Limits {
            timeout: Duration::from_millis(300),
            ..LIMITS
        };
        let started = Instant::now();
        let out = sh("exec sleep 30", limits);
        assert!(matches!(out, Err(RunError::TimedOut(_))), "{:?}", out.err());
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_stop_request_kills_it_at_once() {
        let started = Instant::now();
        let out = run(
            "sh",
            &["-c".to_string(), "exec sleep 30".to_string()],
            &[],
            LIMITS,
            &|| started.elapsed() > Duration::from_millis(100),
        );
        assert!(matches!(out, Err(RunError::Stopped)), "{:?}", out.err());
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn too_much_output_is_refused_without_blocking_the_writer() {
        // 1 MiB to a 1 KiB limit: the writer must still finish (the rest is drained).
        let out = sh("head -c 1048576 /dev/zero; exit 0", LIMITS);
        assert!(
            matches!(out, Err(RunError::TooLarge("stdout", 1024))),
            "{:?}",
            out.err()
        );
        let out = sh("head -c 1000 /dev/zero >&2", LIMITS);
        assert!(
            matches!(out, Err(RunError::TooLarge("stderr", 64))),
            "{:?}",
            out.err()
        );
    }

    #[test]
    fn a_missing_program_is_not_found() {
        let out = run("portal-disable-no-such-program", &[], &[], LIMITS, &|| {
            false
        });
        assert!(matches!(out, Err(RunError::NotFound)), "{:?}", out.err());
    }
}
