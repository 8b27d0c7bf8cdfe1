//! Placeholder until the sandbox lands.
use std::path::PathBuf;
pub const DEMO_KEY: &str = "mp4udemokey00000000";
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    pub port: u16,
    pub key: String,
    pub demo_data: bool,
    pub store_dir: Option<PathBuf>,
    pub latency_ms: u64,
    pub upload_bytes_per_sec: Option<u64>,
    pub drop_upload_after: Option<u64>,
    pub refuse_uploads: Option<String>,
}
pub async fn run_standalone(_config: SandboxConfig) -> std::io::Result<()> {
    Ok(())
}
