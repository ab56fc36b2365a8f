//! The HTTP client builder every request starts from: blocking reqwest over rustls, with ring
//! as rustls's crypto provider (the binary's only crypto library: JWT signing uses it too).

use reqwest::blocking::ClientBuilder;

/// A client builder whose TLS runs on ring. reqwest takes rustls's process-wide provider, so
/// it is installed here, before the first client is built; a second install is refused
/// harmlessly (the same provider is already there).
pub fn client_builder() -> ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder()
}

#[cfg(test)]
mod tests {
    #[test]
    fn builds_a_client_with_ring_as_the_provider() {
        assert!(super::client_builder().build().is_ok());
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
        // Twice is fine: the second install is refused, the client still builds.
        assert!(super::client_builder().build().is_ok());
    }
}
