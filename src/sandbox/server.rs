//! The router: `/api/...`, the upload endpoint and the file pages.

use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};

use super::envelope::{ApiError, respond};
use super::params::Params;
use super::{SandboxConfig, SandboxState, UploadFaults, api, pages, upload};

/// What every handler needs.
#[derive(Clone)]
pub struct App {
    pub state: SandboxState,
    pub config: Arc<SandboxConfig>,
    /// The upload faults in force (start from `config`, change at run time).
    pub faults: Arc<RwLock<UploadFaults>>,
    /// The API faults in force, and the rate limit's count.
    pub api_faults: Arc<super::faults::FaultState>,
    /// The live service's behaviours in force.
    pub quirks: Arc<RwLock<super::Quirks>>,
}

impl App {
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

pub fn router(app: App) -> Router {
    Router::new()
        .route("/api", any(api_root))
        .route("/api/", any(api_root))
        .route("/api/{*path}", any(api_call))
        .route(
            "/upload/01",
            post(upload::upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/", get(pages::index))
        .route("/{code}", get(pages::file_page))
        .fallback(pages::not_found)
        .with_state(app)
}

async fn api_call(
    State(app): State<App>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if let Some(injected) = app.api_faults.before_call().await {
        return injected.into_response();
    }
    let path = path.trim_matches('/');
    app.api_faults.count(path);
    if let Some(message) = app.quirks().lockout {
        return respond(Err(ApiError::new(429, message)));
    }
    let params = Params::parse(query.as_deref());
    respond(api::dispatch(&app, path, &params))
}

async fn api_root(State(app): State<App>) -> Response {
    if let Some(injected) = app.api_faults.before_call().await {
        return injected.into_response();
    }
    respond(Err(ApiError::not_found("Unknown API call")))
}
