//! Which org URLs we will talk to: HTTPS anywhere, plain HTTP only on loopback.
//!
//! A token sent over plain HTTP can be read by anyone on the path, so `http://` is refused for
//! every host except the loopback ones (127.0.0.0/8, `::1`, `localhost`) that local simulators
//! use. The check runs before any request, so a mistyped URL never carries the token anywhere.

use std::net::IpAddr;

use url::{Host, Url};

use crate::error::{Bad, Error, Result};

/// Parses and checks an org instance URL named by `source` (the variable it came from).
/// Messages name the source and what is wrong, never the value: a token pasted into the wrong
/// variable must not reach a CI log.
pub(crate) fn parse_instance_url(text: &str, source: &str) -> Result<Url> {
    let bad =
        |problem: String| Error::input(Bad::InvalidCredentials, format!("{source} {problem}"));
    let url = Url::parse(text.trim()).map_err(|e| {
        bad(format!(
            "is not a URL ({e}); use the org's https:// address, e.g. https://mycompany.my.salesforce.com"
        ))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "carries a user name or password (`user:password@`); remove them: the org is reached with the session of a credential source, never with credentials in its address"
                .to_string(),
        ));
    }
    check_scheme(&url, source)?;
    if url.host().is_none() {
        return Err(bad(
            "has no host; use the org's https:// address".to_string()
        ));
    }
    Ok(url)
}

/// The login URL for an sfdx auth URL's host, which carries no scheme: https, except a
/// loopback host, which is reached over plain http.
pub(crate) fn url_for_host(host_and_port: &str, source: &str) -> Result<Url> {
    let host = host_and_port
        .rsplit_once(':')
        .filter(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host_and_port, |(host, _)| host);
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    let scheme = if loopback { "http" } else { "https" };
    parse_instance_url(&format!("{scheme}://{host_and_port}"), source)
}

/// Refuses anything but https, or http to a loopback host.
pub(crate) fn check_scheme(url: &Url, source: &str) -> Result<()> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(Error::input(
            Bad::InvalidCredentials,
            format!(
                "{source} uses plain http, which would send the access token unencrypted; use https:// (plain http is accepted only for loopback hosts)"
            ),
        )),
        other => Err(Error::input(
            Bad::InvalidCredentials,
            format!("{source} has scheme `{other}`; use https://"),
        )),
    }
}

/// True for 127.0.0.0/8, `::1` and `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_url_hosts_get_their_scheme() {
        let url = |host| {
            url_for_host(host, "SF_AUTH_URL")
                .map(|u| u.to_string())
                .ok()
        };
        assert_eq!(
            url("test.my.salesforce.com"),
            Some("https://test.my.salesforce.com/".into())
        );
        assert_eq!(url("127.0.0.1:6101"), Some("http://127.0.0.1:6101/".into()));
        assert_eq!(url("localhost:8080"), Some("http://localhost:8080/".into()));
        assert_eq!(
            url("acme.my.salesforce.com:443"),
            Some("https://acme.my.salesforce.com/".into())
        );
    }

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for ok in [
            "https://acme.my.salesforce.com",
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9000",
            "http://localhost:1234",
            "http://LOCALHOST",
        ] {
            assert!(
                parse_instance_url(ok, "SF_ORG_INSTANCE_URL").is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "https://user:password@acme.my.salesforce.com",
            "https://00Dtoken@acme.my.salesforce.com",
            "http://acme.my.salesforce.com",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "ftp://127.0.0.1",
            "acme.my.salesforce.com",
            "",
        ] {
            let err = parse_instance_url(bad, "SF_ORG_INSTANCE_URL");
            assert!(matches!(err, Err(Error::Input { .. })), "{bad}: {err:?}");
            let message = err.err().map(|e| e.to_string()).unwrap_or_default();
            for part in ["password", "00Dtoken", "acme", "10.0.0.1"] {
                assert!(
                    !message.contains(part) || message.contains("user name or password"),
                    "{bad}: the value leaks: {message}"
                );
            }
        }
    }
}
