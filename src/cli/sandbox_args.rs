//! `mp4u sandbox`: the local server's flags.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 (0: a free one)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The API key the sandbox accepts [default: the demo key]
    #[arg(long)]
    pub key: Option<String>,
    /// Keep uploaded files in this folder (by default they are hashed and discarded)
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Start with an empty account instead of the demo library
    #[arg(long)]
    pub empty: bool,
    /// Delay every API reply by this many milliseconds
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub latency_ms: u64,
    /// Read uploads no faster than this
    #[arg(long, value_name = "N")]
    pub upload_bytes_per_sec: Option<u64>,
    /// Cut the connection after this many bytes of an upload
    #[arg(long, value_name = "BYTES")]
    pub drop_upload_after: Option<u64>,
    /// Refuse every upload (file_code "undef") with this reason
    #[arg(long, value_name = "REASON", num_args = 0..=1, default_missing_value = "uploads are not enabled for your account type")]
    pub refuse_uploads: Option<String>,
    /// Keep each upload, then cut the connection instead of answering (a lost reply)
    #[arg(long)]
    pub drop_upload_reply: bool,
    /// Fail this share of API calls (0.0 to 1.0) with status 500 sent with HTTP 200
    #[arg(long, value_name = "P", value_parser = parse_share)]
    pub fail_rate: Option<f64>,
    /// Failures come as an HTML 502 page, as a proxy sends (every call, unless --fail-rate)
    #[arg(long)]
    pub html_errors: bool,
    /// Failures come as cut-off JSON (every call, unless --fail-rate)
    #[arg(long)]
    pub invalid_json: bool,
    /// Answer status "429" (a string) above N API calls a second
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<u32>,
}

fn parse_share(text: &str) -> Result<f64, String> {
    let p: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err("a share from 0.0 to 1.0".into())
    }
}

impl SandboxArgs {
    pub fn to_config(&self) -> crate::sandbox::SandboxConfig {
        crate::sandbox::SandboxConfig {
            port: self.port,
            key: self
                .key
                .clone()
                .unwrap_or_else(|| crate::sandbox::DEMO_KEY.to_string()),
            demo_data: !self.empty,
            store_dir: self.data.clone(),
            latency_ms: self.latency_ms,
            upload_bytes_per_sec: self.upload_bytes_per_sec,
            drop_upload_after: self.drop_upload_after,
            refuse_uploads: self.refuse_uploads.clone(),
            drop_upload_reply: self.drop_upload_reply,
            fail_rate: self.fail_rate,
            html_errors: self.html_errors,
            invalid_json: self.invalid_json,
            rate_limit: self.rate_limit,
        }
    }
}
