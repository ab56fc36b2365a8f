//! The process exit codes, declared once. They are the sf CLI's, so CI scripts written for it
//! carry over (DESIGN.md): every command, error and report takes its code from here.

/// Success; `generate --check` found no drift; `--async` accepted; a job canceled by `cancel`.
pub(crate) const SUCCESS: u8 = 0;
/// A deploy failed or was canceled; `generate --check` found drift; any runtime failure.
pub(crate) const FAILURE: u8 = 1;
/// Bad input: usage, configuration, names, credentials, files in the way, limits.
pub(crate) const BAD_INPUT: u8 = 2;
/// Succeeded partially: a deploy with `--ignore-errors` that ended `SucceededPartial`.
pub(crate) const PARTIAL: u8 = 68;
/// Still running when `--wait` ran out (the job id is printed; `report` resumes).
pub(crate) const STILL_RUNNING: u8 = 69;
/// Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
pub(crate) const INTERRUPTED: u8 = 130;
