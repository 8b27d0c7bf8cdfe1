//! The router: `/api/...`, the upload endpoint and the file pages.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};

use super::envelope::{ErrorReply, respond};
use super::params::Params;
use super::service::Service;
use super::{api, pages, upload};

pub fn router(app: Service) -> Router {
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
    State(app): State<Service>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if let Some(injected) = app.api_faults.before_call().await {
        return injected.into_response();
    }
    let path = path.trim_matches('/');
    app.api_faults.count(path);
    if let Some(message) = app.quirks().lockout {
        return respond(Err(ErrorReply::new(429, message)));
    }
    let params = Params::parse(query.as_deref());
    respond(api::dispatch(&app, path, &params))
}

async fn api_root(State(app): State<Service>) -> Response {
    if let Some(injected) = app.api_faults.before_call().await {
        return injected.into_response();
    }
    respond(Err(ErrorReply::not_found("Unknown API call")))
}
