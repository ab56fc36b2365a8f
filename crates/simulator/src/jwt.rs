//! JSON Web Tokens for the tests and the simulator, with ring (the product's own crypto
//! library, so no second one is built): RS256 and HS256 signing, RS256 verification.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair};
use serde_json::{Value, json};

/// The DER inside the first `-----BEGIN {label}-----` block of `pem`.
pub fn pem_der(pem: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let start = pem.find(&begin)? + begin.len();
    let len = pem[start..].find(&format!("-----END {label}-----"))?;
    let base64: String = pem[start..start + len].split_whitespace().collect();
    STANDARD.decode(base64).ok()
}

/// `header.claims`, both base64url.
fn signing_input(alg: &str, claims: &Value) -> String {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}",
        part(&json!({"typ": "JWT", "alg": alg})),
        part(claims)
    )
}

/// `claims` signed RS256 with a PKCS#8 or PKCS#1 PEM private key.
pub fn sign_rs256(private_pem: &str, claims: &Value) -> String {
    let key = match pem_der(private_pem, "PRIVATE KEY") {
        Some(der) => RsaKeyPair::from_pkcs8(&der),
        None => RsaKeyPair::from_der(
            &pem_der(private_pem, "RSA PRIVATE KEY").unwrap_or_else(|| panic!("no private key")),
        ),
    }
    .unwrap_or_else(|e| panic!("{e}"));
    let input = signing_input("RS256", claims);
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// `claims` signed HS256 with `secret`.
pub fn sign_hs256(secret: &[u8], claims: &Value) -> String {
    let input = signing_input("HS256", claims);
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let tag = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
}

/// The claims of `jwt` when its header says RS256 and its signature verifies with the RSA
/// public key `public_pem` (`-----BEGIN PUBLIC KEY-----`); `Err` says why not.
pub fn verify_rs256(public_pem: &str, jwt: &str) -> Result<Value, String> {
    let spki = pem_der(public_pem, "PUBLIC KEY").ok_or("not a PEM public key")?;
    let rsa_public_key = rsa_public_key(&spki).ok_or("not an RSA SubjectPublicKeyInfo")?;
    let mut parts = jwt.split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not three parts".into());
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).map_err(|e| e.to_string());
    let header: Value = serde_json::from_slice(&decode(header)?).map_err(|e| e.to_string())?;
    if header["alg"] != "RS256" {
        return Err(format!("algorithm {}", header["alg"]));
    }
    let signed = &jwt[..jwt.rfind('.').unwrap_or(0)];
    ring::signature::UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, rsa_public_key)
        .verify(signed.as_bytes(), &decode(signature)?)
        .map_err(|_| "bad signature".to_string())?;
    serde_json::from_slice(&decode(claims)?).map_err(|e| e.to_string())
}

/// The RSAPublicKey inside a DER SubjectPublicKeyInfo:
/// `SEQUENCE { SEQUENCE { OID rsaEncryption, NULL }, BIT STRING { 0, RSAPublicKey } }`.
fn rsa_public_key(spki: &[u8]) -> Option<&[u8]> {
    const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let (outer, _) = tlv(spki, 0x30)?;
    let (algorithm, rest) = tlv(outer, 0x30)?;
    let (oid, _) = tlv(algorithm, 0x06)?;
    let (bits, _) = tlv(rest, 0x03)?;
    (oid == RSA_ENCRYPTION).then_some(())?;
    bits.strip_prefix(&[0])
}

/// The content of the DER element of tag `tag` at the start of `der`, and what follows it.
fn tlv(der: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = der.split_first()?;
    (first == tag).then_some(())?;
    let (&len, mut rest) = rest.split_first()?;
    let len = if len < 0x80 {
        usize::from(len)
    } else {
        let count = usize::from(len & 0x7f);
        let (bytes, after) = (rest.get(..count)?, rest.get(count..)?);
        rest = after;
        bytes.iter().fold(0, |n, &b| n << 8 | usize::from(b))
    };
    Some((rest.get(..len)?, rest.get(len..)?))
}
