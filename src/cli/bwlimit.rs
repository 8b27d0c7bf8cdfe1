//! `--bwlimit RATE` for the commands that upload: one argument type to flatten into each
//! (`upload` now, `sync` next), and the client whose uploads share the limit.

use std::sync::Arc;

use clap::Args;

use super::Failure;
use crate::api::{Bandwidth, BwLimit, Client};
use crate::config::Settings;

/// `--bwlimit RATE`; `#[command(flatten)]` it into the arguments of a command that uploads.
#[derive(Debug, Clone, Default, Args)]
pub struct BwLimitArg {
    /// Limit the total rate of all uploads together, in bytes a second: 500K, 2M, 1.5M
    /// (K = 1000, KiB = 1024); 0 or off: none [default: bwlimit in the config, else none]
    #[arg(long, value_name = "RATE")]
    pub bwlimit: Option<BwLimit>,
}

impl BwLimitArg {
    /// The limit in force: this flag, else `outer` (`mp4u --bwlimit 1M upload …`), else the
    /// config's `bwlimit`; a config value that is not a rate is a usage error naming the file.
    pub fn rate(
        &self,
        outer: Option<BwLimit>,
        settings: &Settings,
    ) -> Result<Option<u64>, Failure> {
        settings
            .bwlimit(self.bwlimit.or(outer))
            .map_err(Failure::Usage)
    }

    /// `client`, with the limit in force shared by all its uploads, said on stderr.
    pub fn client(
        &self,
        outer: Option<BwLimit>,
        client: &Client,
        settings: &Settings,
    ) -> Result<Client, Failure> {
        let rate = self.rate(outer, settings)?;
        if let Some(rate) = rate {
            eprintln!(
                "mp4u: uploads limited to {} in total ({} bytes a second)",
                crate::api::bandwidth::describe(Some(rate)),
                crate::format::count(rate)
            );
        }
        Ok(limited(client.clone(), rate))
    }
}

/// The client with a limit all its uploads share, when there is one.
pub fn limited(client: Client, rate: Option<u64>) -> Client {
    match rate {
        Some(rate) => client.with_bandwidth(Arc::new(Bandwidth::new(Some(rate)))),
        None => client,
    }
}
