//! `file/*` calls and `files/deleted`.

use serde_json::{Value, json};

use super::envelope::{ApiResult, ErrorReply, Reply, num_str};
use super::params::Params;
use super::service::Service;
use super::state::{FileRecord, ListQuery, StateError};
use super::{clock, folders};

/// Largest `per_page` of `file/list`.
pub const MAX_PER_PAGE: u64 = 500;

fn flag(b: bool) -> u8 {
    u8::from(b)
}

fn not_found_item(code: &str) -> Value {
    json!({"status": 404, "filecode": code})
}

/// `file/info`: one item per code, each with its own status.
pub fn info(app: &Service, params: &Params) -> ApiResult {
    let quirks = app.quirks();
    let items = params
        .codes()?
        .iter()
        .take(quirks.info_cap.unwrap_or(usize::MAX))
        .map(|c| match app.state.file(c) {
            Some(f) => {
                let mut item = json!({
                    "status": 200,
                    "filecode": f.code,
                    "name": shown_name(&quirks, &f.name),
                    "download": num_str(f.downloads),
                    "size": num_str(f.size),
                    "uploaded": f.uploaded,
                    "fld_id": f.fld_id,
                    "public": flag(f.public),
                });
                if quirks.no_fld_id {
                    drop_field(&mut item, "fld_id");
                }
                item
            }
            None => not_found_item(c),
        })
        .collect();
    Ok(Reply::result(Value::Array(items)))
}

/// A name as the listing gives it: without its extension when the live service's habit is on.
fn shown_name<'a>(quirks: &super::Quirks, name: &'a str) -> &'a str {
    if quirks.bare_names {
        super::quirks::bare(name)
    } else {
        name
    }
}

fn drop_field(item: &mut Value, name: &str) {
    if let Some(map) = item.as_object_mut() {
        map.remove(name);
    }
}

/// `file/list`: filtered, newest first, one page.
pub fn list(app: &Service, params: &Params) -> ApiResult {
    let public = match params.get("public") {
        None => None,
        Some("1") => Some(true),
        Some("0") => Some(false),
        Some(_) => return Err(ErrorReply::bad("Invalid public: must be 0 or 1")),
    };
    let created_after = match params.get("created") {
        None => None,
        Some(s) if s.bytes().all(|b| b.is_ascii_digit()) => {
            let minutes: i64 = s
                .parse()
                .map_err(|_| ErrorReply::bad("Invalid created: number too large"))?;
            let since = clock::now()
                .checked_sub(time::Duration::minutes(minutes))
                .ok_or_else(|| ErrorReply::bad("Invalid created: number too large"))?;
            Some(clock::stamp(since))
        }
        Some(s) => Some(clock::stamp(clock::parse_stamp(s).ok_or_else(|| {
            ErrorReply::bad("Invalid created: use YYYY-MM-DD HH:MM:SS or a number of minutes")
        })?)),
    };
    let quirks = app.quirks();
    let fld_id = params.opt_u64("fld_id")?;
    let q = ListQuery {
        fld_id: fld_id.filter(|_| !quirks.list_ignores_folder),
        public,
        created_after,
        name: params.get("name").map(str::to_string),
        page: to_usize(params.positive("page", 1)?),
        per_page: to_usize(
            params
                .positive("per_page", 20)?
                .min(MAX_PER_PAGE)
                .min(quirks.page_cap.unwrap_or(u64::MAX).max(1)),
        ),
    };
    let base = app.state.base_url();
    let files = app
        .state
        .list(&q)
        .ok_or_else(|| ErrorReply::not_found(folders::FOLDER_NOT_FOUND))?;
    let items = files
        .into_iter()
        .map(|f| {
            let mut item = json!({
                "status": 200,
                "link": format!("{base}/{}.html", f.code),
                "filecode": f.code,
                "name": shown_name(&quirks, &f.name),
                "downloads": num_str(f.downloads),
                "size": num_str(f.size),
                "uploaded": f.uploaded,
                "fld_id": num_str(f.fld_id),
                "public": flag(f.public),
            });
            if quirks.no_fld_id {
                drop_field(&mut item, "fld_id");
            }
            item
        })
        .collect();
    Ok(Reply::result(Value::Array(items)))
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// `file/rename`: renames every known code; per-item status.
pub fn rename(app: &Service, params: &Params) -> ApiResult {
    let codes = params.codes()?;
    let name = params.name("name")?;
    let items = app
        .state
        .rename_files(&codes, &name)
        .into_iter()
        .map(|r| match r {
            Ok(f) => renamed_item(&f),
            Err(code) => not_found_item(&code),
        })
        .collect();
    Ok(Reply::result(Value::Array(items)))
}

fn renamed_item(f: &FileRecord) -> Value {
    json!({
        "status": 200,
        "filecode": f.code,
        "name": f.name,
        "canplay": 1,
        "views_started": num_str(f.downloads),
        "downloads": num_str(f.downloads),
        "size": num_str(f.size),
        "uploaded": f.uploaded,
        "fld_id": f.fld_id,
        "public": flag(f.public),
    })
}

/// `file/clone`: copies the first code given.
pub fn clone(app: &Service, params: &Params) -> ApiResult {
    let codes = params.codes()?;
    let code = codes
        .first()
        .ok_or_else(|| ErrorReply::bad("Missing file_code"))?;
    let copy = app
        .state
        .clone_file(code)
        .ok_or_else(|| ErrorReply::not_found("no file"))?;
    if let Some(dir) = &app.config.store_dir {
        copy_stored(dir, code, &copy.code);
    }
    Ok(Reply::result(json!({
        "filecode": copy.code,
        "url": format!("{}/{}", app.state.base_url(), copy.code),
    })))
}

/// Best effort: the clone shares the stored bytes of the original (hard link, else copy).
fn copy_stored(dir: &std::path::Path, from: &str, to: &str) {
    let (src, dst) = (dir.join(from), dir.join(to));
    if src.is_file() && std::fs::hard_link(&src, &dst).is_err() {
        let _ = std::fs::copy(&src, &dst);
    }
}

/// `file/set_folder`: moves the known codes; no result.
pub fn set_folder(app: &Service, params: &Params) -> ApiResult {
    if app.quirks().fail_set_folder {
        return Err(ErrorReply::new(500, "Internal server error"));
    }
    let fld_id = params.req_u64("fld_id")?;
    let codes = params.codes()?;
    match app.state.set_folder(&codes, fld_id) {
        Ok(_) => Ok(Reply::empty()),
        Err(StateError::NoFile) => Err(ErrorReply::not_found("no file")),
        Err(_) => Err(ErrorReply::not_found(folders::FOLDER_NOT_FOUND)),
    }
}

/// `files/deleted`: the last N deleted files, newest first.
pub fn deleted(app: &Service, params: &Params) -> ApiResult {
    let last = to_usize(params.positive("last", 20)?);
    let now = clock::now();
    let items = app
        .state
        .deleted(last)
        .into_iter()
        .map(|d| {
            let ago = (now - d.deleted).whole_seconds().max(0) as u64;
            json!({
                "file_code": d.code,
                "name": d.name,
                "deleted": clock::stamp(d.deleted),
                "deleted_ago_sec": num_str(ago),
            })
        })
        .collect();
    Ok(Reply::result(Value::Array(items)))
}
