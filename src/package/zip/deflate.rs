//! Raw Deflate at level 9, one compressor state per thread reused for every entry.
//!
//! A level-9 state is a few hundred KiB (window, hash chains, buffers); made afresh for each of
//! 10,000 small entries, allocating and clearing it cost more than compressing them. A reset
//! state gives the same bytes as a new one.

use std::io::{self, Write};

use flate2::{Compress, Compression, FlushCompress, Status};

/// Compressed bytes go out in pieces of this size while an entry streams.
const STREAM_CHUNK: usize = 64 * 1024;

/// A reusable level-9 raw Deflate compressor.
pub(super) struct Deflater {
    state: Compress,
}

impl Deflater {
    pub(super) fn new() -> Self {
        Deflater {
            state: Compress::new(Compression::best(), false),
        }
    }

    /// Compresses the whole of `input` into `out`, replacing what `out` held.
    pub(super) fn compress_all(&mut self, input: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
        self.state.reset();
        out.clear();
        // Deflate's worst case is a few bytes per 16 KiB stored block over the input.
        out.reserve(input.len() + input.len() / 1024 + 64);
        loop {
            let consumed = self.consumed(input.len());
            match self
                .state
                .compress_vec(&input[consumed..], out, FlushCompress::Finish)
                .map_err(io::Error::other)?
            {
                Status::StreamEnd => return Ok(()),
                Status::Ok | Status::BufError => out.reserve(out.capacity().max(64)),
            }
        }
    }

    /// How much of an input of `len` bytes the current stream has taken.
    fn consumed(&self, len: usize) -> usize {
        usize::try_from(self.state.total_in()).map_or(len, |n| n.min(len))
    }

    /// A writer compressing into `out` as bytes arrive, for entries too big to hold.
    pub(super) fn stream<'a, W: Write>(&'a mut self, out: &'a mut W) -> Stream<'a, W> {
        self.state.reset();
        Stream {
            deflater: self,
            out,
            chunk: Vec::with_capacity(STREAM_CHUNK),
            crc: crc32fast::Hasher::new(),
        }
    }
}

/// An entry being compressed straight into the zip.
pub(super) struct Stream<'a, W: Write> {
    deflater: &'a mut Deflater,
    out: &'a mut W,
    chunk: Vec<u8>,
    crc: crc32fast::Hasher,
}

/// What a finished stream took in and gave out.
pub(super) struct Streamed {
    pub crc: u32,
    pub uncompressed: u64,
    pub compressed: u64,
}

impl<W: Write> Stream<'_, W> {
    /// Runs the compressor over `input` (all of it, unless finishing adds nothing more) and
    /// writes what it produced.
    fn run(&mut self, mut input: &[u8], flush: FlushCompress) -> io::Result<Status> {
        loop {
            self.chunk.clear();
            let before = self.deflater.state.total_in();
            let status = self
                .deflater
                .state
                .compress_vec(input, &mut self.chunk, flush)
                .map_err(io::Error::other)?;
            let taken = usize::try_from(self.deflater.state.total_in() - before)
                .map_or(input.len(), |n| n.min(input.len()));
            input = &input[taken..];
            self.out.write_all(&self.chunk)?;
            let full = self.chunk.len() == self.chunk.capacity();
            if status == Status::StreamEnd || (input.is_empty() && !full) {
                return Ok(status);
            }
        }
    }

    /// Ends the entry's Deflate stream.
    pub(super) fn finish(mut self) -> io::Result<Streamed> {
        while self.run(&[], FlushCompress::Finish)? != Status::StreamEnd {}
        Ok(Streamed {
            crc: self.crc.clone().finalize(),
            uncompressed: self.deflater.state.total_in(),
            compressed: self.deflater.state.total_out(),
        })
    }
}

impl<W: Write> Write for Stream<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.run(buf, FlushCompress::None)?;
        self.crc.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The CRC-32 of `data`.
pub(super) fn crc32(data: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(data);
    hasher.finalize()
}
