//! A fingerprint of the account a client speaks to, for records kept on disk (the upload
//! queue): it tells two keys apart without holding either.

use sha2::{Digest, Sha256};

use super::client::Client;

impl Client {
    /// 16 hex digits of a SHA-256 of the key (with a label of its own, so the digest is of use
    /// for nothing else). Not the key, and the key cannot be had back from it.
    pub fn key_fingerprint(&self) -> String {
        let digest = Sha256::new()
            .chain_update(b"mp4u account fingerprint\0")
            .chain_update(self.key_text().as_bytes())
            .finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}
