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
    /// Store each upload N ms after its last byte was read, even when its sender has gone
    /// meanwhile, and answer only then (a server that stores late)
    #[arg(long, value_name = "MS")]
    pub store_upload_late_ms: Option<u64>,
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
    /// file/list sends at most N files a page, whatever per_page asks
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub page_cap: Option<u64>,
    /// file/info answers about at most N codes a call
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub info_cap: Option<u64>,
    /// file/list and file/info items carry no fld_id (as the documentation's examples)
    #[arg(long)]
    pub no_fld_id: bool,
    /// file/list and file/info give names without their extension (as the documentation's
    /// examples)
    #[arg(long)]
    pub bare_names: bool,
    /// Answer uploads with a code and this file_status (e.g. "Error: disk quota exceeded"),
    /// keeping nothing
    #[arg(long, value_name = "TEXT")]
    pub upload_status: Option<String>,
    /// upload/server sends no sess_id
    #[arg(long)]
    pub no_session: bool,
    /// Answer every API call with status 429 and this message (a lockout)
    #[arg(long, value_name = "MESSAGE", num_args = 0..=1, default_missing_value = crate::sandbox::LOCKOUT_MESSAGE)]
    pub lockout: Option<String>,
    /// file/set_folder always fails (status 500)
    #[arg(long)]
    pub fail_set_folder: bool,
    /// file/list ignores fld_id: every folder lists the whole account
    #[arg(long)]
    pub list_ignores_folder: bool,
    /// Add a folder /Big with N files (to measure large listings)
    #[arg(long, value_name = "N")]
    pub big_folder: Option<usize>,
    /// Keep the account in FILE between runs (created when missing, written after every change)
    #[arg(long, value_name = "FILE")]
    pub keep: Option<std::path::PathBuf>,
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
            api: crate::sandbox::ApiFaults {
                latency_ms: self.latency_ms,
                fail_rate: self.fail_rate,
                html_errors: self.html_errors,
                invalid_json: self.invalid_json,
                rate_limit: self.rate_limit,
            },
            upload: crate::sandbox::UploadFaults {
                bytes_per_sec: self.upload_bytes_per_sec,
                drop_after: self.drop_upload_after,
                refuse: self.refuse_uploads.clone(),
                drop_reply: self.drop_upload_reply,
                store_late_ms: self.store_upload_late_ms,
            },
            quirks: crate::sandbox::Quirks {
                page_cap: self.page_cap,
                info_cap: self
                    .info_cap
                    .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
                no_fld_id: self.no_fld_id,
                bare_names: self.bare_names,
                upload_status: self.upload_status.clone(),
                no_session: self.no_session,
                lockout: self.lockout.clone(),
                fail_set_folder: self.fail_set_folder,
                list_ignores_folder: self.list_ignores_folder,
            },
            big_folder: self.big_folder,
            keep: self.keep.clone(),
        }
    }
}
