//! Which URLs credentials may travel to: HTTPS only, and plain HTTP for loopback hosts alone
//! (127.0.0.0/8, `::1`, `localhost`), which is what local simulators use.
//!
//! Checked before any request, so a mistyped `http://` instance URL never sends a token in
//! clear text.

use std::net::IpAddr;

use url::Url;

/// Why a URL is refused; `Display` completes "`NAME` ...".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    Unparsable,
    NotHttps,
    NoHost,
}

impl std::fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UrlProblem::Unparsable => "is not a URL; use https://<my-domain>.my.salesforce.com",
            UrlProblem::NotHttps => {
                "must use https:// (plain http:// is allowed only for 127.0.0.1, ::1 and localhost)"
            }
            UrlProblem::NoHost => "has no host; use https://<my-domain>.my.salesforce.com",
        })
    }
}

/// Parses `text` and applies the HTTPS-or-loopback rule. The path is dropped: callers append
/// their own (`/services/...`).
pub fn checked_base_url(text: &str) -> Result<Url, UrlProblem> {
    let mut url = Url::parse(text.trim()).map_err(|_| UrlProblem::Unparsable)?;
    let host = url.host_str().ok_or(UrlProblem::NoHost)?.to_string();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        _ => return Err(UrlProblem::NotHttps),
    }
    url.set_path("");
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// The login URL for an sfdx auth URL's host, which carries no scheme: https, except a
/// loopback host, which is reached over plain http.
pub fn url_for_host(host_and_port: &str) -> Result<Url, UrlProblem> {
    let host = host_and_port
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host_and_port, |(host, _)| host);
    let scheme = if is_loopback(host) { "http" } else { "https" };
    checked_base_url(&format!("{scheme}://{host_and_port}"))
}

/// 127.0.0.0/8, `::1` or `localhost`.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for ok in [
            "https://acme.my.salesforce.com",
            "https://acme.my.salesforce.com/some/path?x=1",
            "http://127.0.0.1:6101",
            "http://127.5.6.7",
            "http://localhost:8080",
            "http://[::1]:9000",
        ] {
            assert!(checked_base_url(ok).is_ok(), "{ok}");
        }
        for (bad, want) in [
            ("http://acme.my.salesforce.com", UrlProblem::NotHttps),
            ("http://10.0.0.1", UrlProblem::NotHttps),
            ("http://localhost.evil.com", UrlProblem::NotHttps),
            ("ftp://127.0.0.1", UrlProblem::NotHttps),
            ("acme.my.salesforce.com", UrlProblem::Unparsable),
        ] {
            assert_eq!(checked_base_url(bad), Err(want), "{bad}");
        }
        assert_eq!(
            checked_base_url("https://acme.my.salesforce.com/x?y#z").map(|u| u.to_string()),
            Ok("https://acme.my.salesforce.com/".to_string())
        );
    }

    #[test]
    fn auth_url_hosts_get_their_scheme() {
        assert_eq!(
            url_for_host("test.my.salesforce.com").map(|u| u.to_string()),
            Ok("https://test.my.salesforce.com/".to_string())
        );
        assert_eq!(
            url_for_host("127.0.0.1:6101").map(|u| u.to_string()),
            Ok("http://127.0.0.1:6101/".to_string())
        );
        assert_eq!(
            url_for_host("localhost:80").map(|u| u.to_string()),
            Ok("http://localhost/".to_string())
        );
    }
}
