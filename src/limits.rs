//! The Metadata API's deploy limits, declared once for the packer and for the zip inspector
//! of `deploy --zip`, checked before anything is uploaded (or written), with a warning at 80 %
//! as the sf CLI gives.
//!
//! File count and uncompressed size are known from the file list before writing. The
//! compressed size is only known while compressing: the zip writer counts bytes as they are
//! written and stops once over the limit, so a 2 GB mistake never becomes a 2 GB file.

use crate::error::{Bad, Error, Result};

/// Files per deploy (35,000 only for AppExchange packages, which this is not).
pub(crate) const MAX_FILES: u64 = 10_000;
/// Uncompressed bytes (600 MB in the current Metadata API documentation).
pub(crate) const MAX_UNCOMPRESSED: u64 = 629_145_600;
/// Compressed zip bytes: "39 MB" as the sf CLI counts it (39,000,000, SDR
/// `metadataApiDeploy.ts`); base64 in the SOAP request then stays under the 50 MB message limit.
pub(crate) const MAX_COMPRESSED: u64 = 39_000_000;
/// Warn from this share of a limit on.
const WARN_PERCENT: u64 = 80;

const ADVICE: &str = "split the components into several deploys (package fewer or smaller --source-dir folders per zip)";

/// Checks the file count and the uncompressed size; returns the warnings for values at 80 %
/// of a limit or more.
pub(crate) fn preflight(files: u64, uncompressed: u64) -> Result<Vec<String>> {
    if files > MAX_FILES {
        return Err(Error::input(
            Bad::LimitExceeded,
            format!(
                "the deploy would hold {} files, over the Metadata API limit of {} per deploy; {ADVICE}",
                thousands(files),
                thousands(MAX_FILES)
            ),
        ));
    }
    if uncompressed > MAX_UNCOMPRESSED {
        return Err(Error::input(
            Bad::LimitExceeded,
            format!(
                "the deploy would hold {} bytes uncompressed, over the Metadata API limit of {} (600 MB); {ADVICE}",
                thousands(uncompressed),
                thousands(MAX_UNCOMPRESSED)
            ),
        ));
    }
    let mut warnings = Vec::new();
    if files * 100 >= MAX_FILES * WARN_PERCENT {
        warnings.push(format!(
            "{} files is {} % of the Metadata API limit of {} per deploy",
            thousands(files),
            files * 100 / MAX_FILES,
            thousands(MAX_FILES)
        ));
    }
    if uncompressed * 100 >= MAX_UNCOMPRESSED * WARN_PERCENT {
        warnings.push(format!(
            "{} bytes uncompressed is {} % of the Metadata API limit of {} (600 MB)",
            thousands(uncompressed),
            uncompressed * 100 / MAX_UNCOMPRESSED,
            thousands(MAX_UNCOMPRESSED)
        ));
    }
    Ok(warnings)
}

/// The error once the zip being written passes the compressed limit, at entry `index` (1-based)
/// of `entries`, named `name`.
pub(crate) fn compressed_over(written: u64, index: usize, entries: usize, name: &str) -> Error {
    Error::input(
        Bad::LimitExceeded,
        format!(
            "the zip passed {} bytes compressed at file {} of {} (`{name}`), over the Metadata API limit of {} (39 MB, as the sf CLI counts it); nothing was written; {ADVICE}",
            thousands(written),
            thousands(index as u64),
            thousands(entries as u64),
            thousands(MAX_COMPRESSED)
        ),
    )
}

/// The warning for a finished zip at 80 % of the compressed limit or more.
pub(crate) fn compressed_warning(written: u64) -> Option<String> {
    (written * 100 >= MAX_COMPRESSED * WARN_PERCENT).then(|| {
        format!(
            "the zip is {} bytes, {} % of the Metadata API limit of {} (39 MB)",
            thousands(written),
            written * 100 / MAX_COMPRESSED,
            thousands(MAX_COMPRESSED)
        )
    })
}

/// 39000000 -> "39,000,000": limits are read by people comparing figures.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_figures() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(39_000_000), "39,000,000");
        assert_eq!(thousands(1_234), "1,234");
    }

    #[test]
    fn refuses_over_and_warns_near_the_limits() {
        assert_eq!(preflight(10, 1_000).map_err(|e| e.to_string()), Ok(vec![]));
        let warnings = preflight(8_000, 1_000).unwrap_or_default();
        assert_eq!(
            warnings,
            ["8,000 files is 80 % of the Metadata API limit of 10,000 per deploy"]
        );
        let err = preflight(10_001, 0).err().map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.starts_with(
                "the deploy would hold 10,001 files, over the Metadata API limit of 10,000"
            )),
            "{err:?}"
        );
        assert!(preflight(1, MAX_UNCOMPRESSED + 1).is_err());
        assert!(preflight(1, MAX_UNCOMPRESSED).is_ok());
        assert!(compressed_warning(31_200_000).is_some());
        assert!(compressed_warning(31_199_999).is_none());
    }
}
