//! The bytes of a zip's headers (PKWARE APPNOTE 4.3): one local header before each entry's
//! data, the central directory and its end record after the last.
//!
//! Only what a deploy zip needs: Deflate, no encryption, no extra fields, no data
//! descriptors, the zip epoch (1980-01-01 00:00) as every time, mode 0644 made on Unix, names
//! flagged UTF-8 when not ASCII. No ZIP64: the deploy limits (10,000 files, 600 MB
//! uncompressed, 39 MB compressed) keep every count, size and offset far below its 16- or
//! 32-bit field, and [`Record::new`] refuses what would not fit. The fields are those the zip
//! crate writes for the same options, so zips keep the bytes they had when it wrote them.

/// Local file header signature.
const LOCAL: u32 = 0x0403_4b50;
/// Central directory header signature.
const CENTRAL: u32 = 0x0201_4b50;
/// End of central directory record signature.
const END: u32 = 0x0605_4b50;
/// Version needed to extract: 2.0, for Deflate.
const VERSION_NEEDED: u16 = 20;
/// Version made by: Unix (3) in the high byte, spec 2.0 in the low one (the zip crate writes
/// the version needed there).
const VERSION_MADE_BY: u16 = (3 << 8) | 20;
/// Method 8, Deflate.
const DEFLATE: u16 = 8;
/// General purpose flag bit 11: the name is UTF-8.
const UTF8_NAME: u16 = 1 << 11;
/// MS-DOS time 00:00:00 and date 1980-01-01 (day 1, month 1, year 0).
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;
/// External attributes: a regular file, rw-r--r--, in the Unix high half.
const EXTERNAL_ATTRIBUTES: u32 = 0o100_644 << 16;

/// Length of a local header before the name.
pub(super) const LOCAL_HEADER_LEN: u64 = 30;
/// Offset of the CRC-32 inside a local header (then compressed and uncompressed size).
pub(super) const LOCAL_CRC_OFFSET: u64 = 14;

/// What the headers say about one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    pub name: String,
    pub crc: u32,
    pub compressed: u32,
    pub uncompressed: u32,
    /// Where the entry's local header starts.
    pub offset: u32,
}

impl Record {
    /// The record for `name`, or `None` when a value is past its field (ZIP64 territory, which
    /// the deploy limits never reach).
    pub(super) fn new(
        name: String,
        crc: u32,
        compressed: u64,
        uncompressed: u64,
        offset: u64,
    ) -> Option<Self> {
        if name.len() > usize::from(u16::MAX) {
            return None;
        }
        Some(Record {
            name,
            crc,
            compressed: u32::try_from(compressed).ok()?,
            uncompressed: u32::try_from(uncompressed).ok()?,
            offset: u32::try_from(offset).ok()?,
        })
    }

    fn flags(&self) -> u16 {
        if self.name.is_ascii() { 0 } else { UTF8_NAME }
    }

    /// The local header, name included.
    pub(super) fn local_header(&self, out: &mut Vec<u8>) {
        put32(out, LOCAL);
        self.shared_fields(out);
        out.extend_from_slice(self.name.as_bytes());
    }

    /// The fields local and central headers share, in the order both hold them: version
    /// needed, flags, method, time, date, CRC and sizes, name length, extra field length.
    fn shared_fields(&self, out: &mut Vec<u8>) {
        put16(out, VERSION_NEEDED);
        put16(out, self.flags());
        put16(out, DEFLATE);
        put16(out, DOS_TIME);
        put16(out, DOS_DATE);
        self.crc_and_sizes(out);
        put16(out, self.name.len() as u16);
        put16(out, 0); // extra field length
    }

    /// CRC-32, compressed size, uncompressed size: what a streamed entry patches in.
    pub(super) fn crc_and_sizes(&self, out: &mut Vec<u8>) {
        put32(out, self.crc);
        put32(out, self.compressed);
        put32(out, self.uncompressed);
    }

    fn central_header(&self, out: &mut Vec<u8>) {
        put32(out, CENTRAL);
        put16(out, VERSION_MADE_BY);
        self.shared_fields(out);
        put16(out, 0); // comment length
        put16(out, 0); // disk number start
        put16(out, 0); // internal attributes
        put32(out, EXTERNAL_ATTRIBUTES);
        put32(out, self.offset);
        out.extend_from_slice(self.name.as_bytes());
    }

    /// The local header's length, name included: where the entry's data starts.
    pub(super) fn local_header_len(&self) -> u64 {
        LOCAL_HEADER_LEN + self.name.len() as u64
    }
}

/// The central directory of `records` starting at `offset`, and the end record; `None` when
/// a count or offset would need ZIP64.
pub(super) fn central_directory(records: &[Record], offset: u64) -> Option<Vec<u8>> {
    let count = u16::try_from(records.len()).ok()?;
    let mut out = Vec::with_capacity(records.iter().map(|r| 46 + r.name.len()).sum::<usize>() + 22);
    for record in records {
        record.central_header(&mut out);
    }
    let size = u32::try_from(out.len()).ok()?;
    let offset = u32::try_from(offset).ok()?;
    offset.checked_add(size)?;
    put32(&mut out, END);
    put16(&mut out, 0); // this disk
    put16(&mut out, 0); // disk of the central directory
    put16(&mut out, count);
    put16(&mut out, count);
    put32(&mut out, size);
    put32(&mut out, offset);
    put16(&mut out, 0); // comment length
    Some(out)
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}
