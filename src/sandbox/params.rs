//! Query parameters of API calls, parsed leniently and validated one by one.

use std::collections::HashMap;

use super::envelope::ErrorReply;

/// At most this many codes in one `file_code` list.
pub const MAX_CODES: usize = 100;
/// Longest accepted file or folder name, in characters.
pub const MAX_NAME: usize = 255;

/// The decoded query string (the last of repeated keys wins).
pub struct Params(HashMap<String, String>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        Params(
            url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The value, `None` when absent or empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    pub fn opt_u64(&self, key: &str) -> Result<Option<u64>, ErrorReply> {
        self.get(key)
            .map(|s| {
                s.parse::<u64>()
                    .map_err(|_| ErrorReply::bad(format!("Invalid {key}: must be a number")))
            })
            .transpose()
    }

    pub fn req_u64(&self, key: &str) -> Result<u64, ErrorReply> {
        self.opt_u64(key)?
            .ok_or_else(|| ErrorReply::bad(format!("Missing {key}")))
    }

    /// A positive number, or `default` when absent.
    pub fn positive(&self, key: &str, default: u64) -> Result<u64, ErrorReply> {
        match self.opt_u64(key)? {
            None => Ok(default),
            Some(0) => Err(ErrorReply::bad(format!(
                "Invalid {key}: must be at least 1"
            ))),
            Some(n) => Ok(n),
        }
    }

    /// `file_code`: one code or a comma list of at most [`MAX_CODES`].
    pub fn codes(&self) -> Result<Vec<String>, ErrorReply> {
        let raw = self
            .get("file_code")
            .ok_or_else(|| ErrorReply::bad("Missing file_code"))?;
        let codes: Vec<String> = raw
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        if codes.is_empty() {
            return Err(ErrorReply::bad("Missing file_code"));
        }
        if codes.len() > MAX_CODES {
            return Err(ErrorReply::bad(format!(
                "Invalid file_code: at most {MAX_CODES} codes per call"
            )));
        }
        if let Some(c) = codes
            .iter()
            .find(|c| c.len() > 64 || !c.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(ErrorReply::bad(format!(
                "Invalid file_code: {}",
                c.chars().take(64).collect::<String>()
            )));
        }
        Ok(codes)
    }

    /// A required name: not empty, at most [`MAX_NAME`] chars, no control chars. Trimmed.
    pub fn name(&self, key: &str) -> Result<String, ErrorReply> {
        let name = self
            .get(key)
            .ok_or_else(|| ErrorReply::bad(format!("Missing {key}")))?;
        if name.chars().count() > MAX_NAME {
            return Err(ErrorReply::bad(format!(
                "Invalid {key}: longer than {MAX_NAME} characters"
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(ErrorReply::bad(format!(
                "Invalid {key}: contains control characters"
            )));
        }
        Ok(name.to_string())
    }
}

/// Whether an API key has the form `^[a-z0-9]{16,}$`.
pub fn key_well_formed(key: &str) -> bool {
    key.len() >= 16
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_and_validation() {
        let p = Params::parse(Some(
            "key=abc&fld_id=12&bad=x1&empty=&name=New%20Folder&file_code=a1,%20b2,,&ctl=a%0Ab",
        ));
        assert_eq!(p.get("key"), Some("abc"));
        assert_eq!(p.get("empty"), None);
        assert_eq!(p.opt_u64("fld_id"), Ok(Some(12)));
        assert_eq!(p.opt_u64("missing"), Ok(None));
        assert_eq!(p.opt_u64("bad").map_err(|e| e.status), Err(400));
        assert_eq!(
            p.req_u64("missing").map_err(|e| e.msg),
            Err("Missing missing".into())
        );
        assert_eq!(p.name("name"), Ok("New Folder".into()));
        assert!(p.name("ctl").is_err());
        assert!(p.name("empty").is_err());
        assert_eq!(p.codes(), Ok(vec!["a1".to_string(), "b2".to_string()]));
        let long = format!("name={}", "x".repeat(256));
        assert!(Params::parse(Some(&long)).name("name").is_err());
        let many = format!("file_code={}", vec!["abc"; 101].join(","));
        assert!(Params::parse(Some(&many)).codes().is_err());
        assert!(Params::parse(Some("file_code=a%22b")).codes().is_err());
        assert!(Params::parse(None).codes().is_err());
        assert!(Params::parse(Some("last=0")).positive("last", 7).is_err());
        assert_eq!(Params::parse(None).positive("last", 7), Ok(7));
    }

    #[test]
    fn key_form() {
        assert!(key_well_formed("mp4udemo7x2k9qwmz"));
        assert!(!key_well_formed("short"));
        assert!(!key_well_formed("MP4UDEMOKEY00000000"));
        assert!(!key_well_formed("mp4udemokey0000000-"));
    }
}
