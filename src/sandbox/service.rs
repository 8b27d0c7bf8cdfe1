//! What every handler of the sandbox needs: the state, the configuration, and the faults and
//! quirks in force. Its own module, so that the router and the handlers both use it without
//! using each other.

use std::sync::{Arc, RwLock};

use super::{SandboxConfig, SandboxState, UploadFaults};

/// What every handler needs.
#[derive(Clone)]
pub struct Service {
    pub state: SandboxState,
    pub config: Arc<SandboxConfig>,
    /// The upload faults in force (start from `config`, change at run time).
    pub faults: Arc<RwLock<UploadFaults>>,
    /// The API faults in force, and the rate limit's count.
    pub api_faults: Arc<super::faults::FaultState>,
    /// The live service's behaviours in force.
    pub quirks: Arc<RwLock<super::Quirks>>,
}

impl Service {
    /// The upload faults in force now.
    pub fn upload_faults(&self) -> UploadFaults {
        self.faults
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The quirks in force now.
    pub fn quirks(&self) -> super::Quirks {
        self.quirks
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}
