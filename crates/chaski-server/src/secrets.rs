//! Device tokens and enrolment codes. Only their SHA-256 is stored ([`hash_secret`]).

use chaski_wire::enrolment::{self, EnrolmentCode};
use rand::Rng;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

/// SHA-256 in hex: how the server keeps tokens and enrolment codes.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.trim().as_bytes()))
}

/// A new device token: 256 random bits, hex, with a recognisable prefix.
pub fn new_token() -> String {
    let bytes: [u8; 32] = OsRng.r#gen();
    format!("chk_{}", hex::encode(bytes))
}

/// A new one-time enrolment code, easy to dictate (the grammar is
/// [`chaski_wire::enrolment`]'s: 3 groups of 4 characters without look-alikes, 60 bits).
pub fn new_enrolment_code() -> String {
    let bytes: [u8; enrolment::LEN] = OsRng.r#gen();
    EnrolmentCode::from_random(bytes).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_tokens_look_right_and_differ() {
        let a = new_enrolment_code();
        assert_eq!(a.len(), 14);
        assert_eq!(a.matches('-').count(), 2);
        assert_ne!(a, new_enrolment_code());
        assert_eq!(EnrolmentCode::parse(&a).map(|c| c.to_string()), Ok(a));
        let t = new_token();
        assert!(t.starts_with("chk_") && t.len() == 68);
        assert_ne!(t, new_token());
    }
}
