//! The API calls: routing by path, the key check, account and upload-server calls.

use serde_json::{Value, json};

use super::envelope::{ApiResult, ErrorReply, Reply, num_str};
use super::params::{Params, key_well_formed};
use super::service::Service;
use super::{clock, files, folders, stats};

/// Storage quota of the sandbox account: 256 GiB (the demo library holds ~143 GB).
pub const QUOTA: u64 = 256 * 1024 * 1024 * 1024;

type Handler = fn(&Service, &Params) -> ApiResult;

/// Runs the call at `path` (e.g. `file/list`).
pub fn dispatch(app: &Service, path: &str, params: &Params) -> ApiResult {
    let handler: Handler = match path {
        "account/info" => account_info,
        "account/stats" => account_stats,
        "upload/server" => upload_server,
        "file/info" => files::info,
        "file/list" => files::list,
        "file/rename" => files::rename,
        "file/clone" => files::clone,
        "file/set_folder" => files::set_folder,
        "folder/list" => folders::list,
        "folder/create" => folders::create,
        "folder/rename" => folders::rename,
        "files/deleted" => files::deleted,
        _ => return Err(ErrorReply::not_found("Unknown API call")),
    };
    check_key(app, params)?;
    handler(app, params)
}

fn check_key(app: &Service, params: &Params) -> Result<(), ErrorReply> {
    match params.get("key") {
        Some(k) if key_well_formed(k) => {
            if k == app.config.key {
                Ok(())
            } else {
                Err(ErrorReply::new(403, "Wrong auth"))
            }
        }
        _ => Err(ErrorReply::bad("Invalid key")),
    }
}

fn account_info(app: &Service, _: &Params) -> ApiResult {
    let used = app.state.storage_used();
    let expire = clock::now() + time::Duration::days(365);
    Ok(Reply::result(json!({
        "email": "demo@mp4u.example",
        "balance": "37.41250",
        "storage_used": num_str(used),
        "storage_left": QUOTA.saturating_sub(used),
        "premium_expire": format!("{} 21:00:00", clock::day(expire)),
    })))
}

fn account_stats(_: &Service, params: &Params) -> ApiResult {
    let last = params.positive("last", 7)?;
    let today = clock::now().date();
    let days: Vec<Value> = stats::last_days(today, last)
        .iter()
        .map(stats::DayRecord::to_json)
        .collect();
    Ok(Reply::result(Value::Array(days)))
}

fn upload_server(app: &Service, _: &Params) -> ApiResult {
    let reply = Reply::result(json!(format!("{}/upload/01", app.state.base_url())));
    if app.quirks().no_session {
        return Ok(reply);
    }
    Ok(reply.with("sess_id", json!(app.state.new_session())))
}
