//! Entries read and compressed ahead on worker threads, handed to the writer in zip order.
//!
//! Each entry is compressed on its own (no state carries from one to the next), so which
//! thread compresses it changes nothing in its bytes: the zip is the same with one thread or
//! many. The workers stay within [`AHEAD_BYTES`] of uncompressed data not yet written, so
//! memory does not grow with the folder; entries too big to hold are left to the writer,
//! which streams them when their turn comes.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};

use super::deflate::{Deflater, crc32};
use crate::error::{Error, Result};
use crate::package::layout::Entry;

/// Entries up to this size are compressed in memory; larger ones stream.
pub(super) const IN_MEMORY_MAX: u64 = 1024 * 1024;
/// Uncompressed bytes read ahead of the writer, at most (one batch always may be).
const AHEAD_BYTES: u64 = 2 * 1024 * 1024;
/// A worker takes entries in batches of up to this many bytes or entries: handing them over
/// one by one costs a wake-up of a thread each, more than compressing a small class.
const BATCH_BYTES: u64 = 256 * 1024;
const BATCH_ENTRIES: usize = 64;
/// Worker threads at most: past a few, the writer and the disk are the limit.
const MAX_WORKERS: usize = 4;
/// Below this many entries, threads cost more than they save.
const MIN_PARALLEL_ENTRIES: usize = 16;

/// An entry ready for the zip.
pub(super) enum Prepared {
    /// Compressed whole: its CRC-32, bytes read and Deflate data.
    Compressed {
        crc: u32,
        uncompressed: u64,
        data: Vec<u8>,
    },
    /// Over [`IN_MEMORY_MAX`]: the writer streams it.
    Large,
}

/// Entries `start..end` as one worker prepared them, cut short after the first failure.
struct Batch {
    start: usize,
    end: usize,
    ahead: u64,
    prepared: Vec<Result<Prepared>>,
}

/// Hands every entry of `entries`, in order, to `write`, with up to `workers` threads
/// preparing the ones ahead. Stops at the first error, in entry order (a read failure of a
/// later entry that a worker met early is reported only if the writer gets that far).
pub(super) fn in_order<F>(
    entries: &[Entry<'_>],
    shown: &Path,
    workers: usize,
    mut write: F,
) -> Result<()>
where
    F: FnMut(usize, Prepared) -> Result<()>,
{
    let workers = workers.min(MAX_WORKERS);
    if workers < 2 || entries.len() < MIN_PARALLEL_ENTRIES {
        let mut worker = Worker::new();
        for (index, entry) in entries.iter().enumerate() {
            write(index, worker.prepare(entry, shown)?)?;
        }
        return Ok(());
    }
    let window = Window::default();
    let (sender, receiver) = mpsc::channel::<Batch>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let window = &window;
            scope.spawn(move || {
                // A panicking worker stops the others, so the writer is not left waiting.
                let _stop = StopOnDrop(window);
                let mut worker = Worker::new();
                while let Some((start, end, ahead)) = window.claim(entries) {
                    let mut prepared = Vec::with_capacity(end - start);
                    for entry in &entries[start..end] {
                        let result = worker.prepare(entry, shown);
                        let failed = result.is_err();
                        prepared.push(result);
                        if failed {
                            break;
                        }
                    }
                    let batch = Batch {
                        start,
                        end,
                        ahead,
                        prepared,
                    };
                    if sender.send(batch).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut ready = BTreeMap::new();
        let result = (|| {
            let mut next = 0;
            while next < entries.len() {
                let batch = loop {
                    if let Some(batch) = ready.remove(&next) {
                        break batch;
                    }
                    let batch: Batch = receiver.recv().map_err(|_| {
                        let stopped =
                            std::io::Error::other("its compressing threads stopped early");
                        Error::io("write", shown, stopped)
                    })?;
                    ready.insert(batch.start, batch);
                };
                for (offset, prepared) in batch.prepared.into_iter().enumerate() {
                    write(batch.start + offset, prepared?)?;
                }
                window.written(batch.ahead);
                next = batch.end;
            }
            Ok(())
        })();
        window.stop();
        result
    })
}

/// Bytes an entry holds in memory while ahead of the writer.
fn ahead_size(entry: &Entry<'_>) -> u64 {
    if entry.size <= IN_MEMORY_MAX {
        entry.size
    } else {
        0
    }
}

/// One thread's compressor and read buffer, reused for every entry it prepares.
struct Worker {
    deflater: Deflater,
    input: Vec<u8>,
}

impl Worker {
    fn new() -> Self {
        Worker {
            deflater: Deflater::new(),
            input: Vec::new(),
        }
    }

    fn prepare(&mut self, entry: &Entry<'_>, shown: &Path) -> Result<Prepared> {
        if entry.size > IN_MEMORY_MAX {
            return Ok(Prepared::Large);
        }
        self.input.clear();
        let uncompressed = entry.read_into(&mut self.input, shown)?;
        let mut data = Vec::new();
        self.deflater
            .compress_all(&self.input, &mut data)
            .map_err(|e| Error::io("write", shown, e))?;
        Ok(Prepared::Compressed {
            crc: crc32(&self.input),
            uncompressed,
            data,
        })
    }
}

/// Which entries the workers take next, and how far ahead of the writer they are.
#[derive(Default)]
struct Window {
    state: Mutex<WindowState>,
    changed: Condvar,
}

#[derive(Default)]
struct WindowState {
    next: usize,
    ahead: u64,
    waiting: usize,
    stopped: bool,
}

impl Window {
    /// The next batch to prepare, `start..end` holding `ahead` bytes, once there is room for
    /// it; `None` when all are taken or the writer stopped.
    fn claim(&self, entries: &[Entry<'_>]) -> Option<(usize, usize, u64)> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if state.stopped || state.next >= entries.len() {
                return None;
            }
            let start = state.next;
            let mut end = start;
            let mut bytes = 0;
            while end < entries.len() && end - start < BATCH_ENTRIES {
                let size = ahead_size(&entries[end]);
                if end > start && bytes + size > BATCH_BYTES {
                    break;
                }
                bytes += size;
                end += 1;
            }
            if state.ahead == 0 || state.ahead + bytes <= AHEAD_BYTES {
                state.ahead += bytes;
                state.next = end;
                return Some((start, end, bytes));
            }
            state.waiting += 1;
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            state.waiting -= 1;
        }
    }

    /// The writer has written a batch of `ahead` bytes.
    fn written(&self, ahead: u64) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.ahead -= ahead.min(state.ahead);
        // Waking costs a system call: only when a worker waits for room.
        if state.waiting > 0 {
            self.changed.notify_all();
        }
    }

    fn stop(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.stopped = true;
        self.changed.notify_all();
    }
}

struct StopOnDrop<'w>(&'w Window);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}
