//! Device tokens and enrolment codes. Only their SHA-256 is stored (`logic::hash_secret`).

use rand::Rng;
use rand::rngs::OsRng;

/// A new device token: 256 random bits, hex, with a recognisable prefix.
pub fn new_token() -> String {
    let bytes: [u8; 32] = OsRng.r#gen();
    format!("chk_{}", hex::encode(bytes))
}

/// A new one-time enrolment code, easy to dictate: 3 groups of 4 characters from an
/// alphabet without look-alikes (60 bits).
pub fn new_enrolment_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = OsRng;
    let mut out = String::with_capacity(14);
    for i in 0..12 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]));
    }
    out
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
        let t = new_token();
        assert!(t.starts_with("chk_") && t.len() == 68);
        assert_ne!(t, new_token());
    }
}
