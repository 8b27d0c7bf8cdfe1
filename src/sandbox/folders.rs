//! `folder/*` calls.

use serde_json::{Value, json};

use super::envelope::{ApiResult, ErrorReply, Reply, num_str};
use super::params::Params;
use super::service::Service;
use super::state::StateError;

pub const FOLDER_NOT_FOUND: &str = "Folder not found";

/// `folder/list`: the subfolders and files of a folder (root by default).
pub fn list(app: &Service, params: &Params) -> ApiResult {
    let fld_id = params.opt_u64("fld_id")?.unwrap_or(0);
    if app.state.folder(fld_id).is_none() {
        return Err(ErrorReply::not_found(FOLDER_NOT_FOUND));
    }
    let base = app.state.base_url();
    let folders: Vec<Value> = app
        .state
        .subfolders(fld_id)
        .into_iter()
        .map(|f| json!({"name": f.name, "fld_id": num_str(f.fld_id)}))
        .collect();
    let files: Vec<Value> = app
        .state
        .files_in(fld_id)
        .into_iter()
        .map(|f| {
            json!({
                "link": format!("{base}/{}.html", f.code),
                "uploaded": f.uploaded,
                "file_code": f.code,
                "fld_id": num_str(f.fld_id),
                "name": f.name,
            })
        })
        .collect();
    Ok(Reply::result(json!({"folders": folders, "files": files})))
}

/// `folder/create`: a new folder under `parent_id` (root by default).
pub fn create(app: &Service, params: &Params) -> ApiResult {
    let parent = params.opt_u64("parent_id")?.unwrap_or(0);
    let name = params.name("name")?;
    let fld_id = app
        .state
        .create_folder(parent, &name)
        .ok_or_else(|| ErrorReply::not_found("Parent folder not found"))?;
    Ok(Reply::result(json!({"fld_id": num_str(fld_id)})))
}

/// `folder/rename`: result is the string `"true"`.
pub fn rename(app: &Service, params: &Params) -> ApiResult {
    let fld_id = params.req_u64("fld_id")?;
    let name = params.name("name")?;
    match app.state.rename_folder(fld_id, &name) {
        Ok(()) => Ok(Reply::result(json!("true"))),
        Err(StateError::RootFolder) => Err(ErrorReply::bad(
            "Invalid fld_id: the root folder cannot be renamed",
        )),
        Err(_) => Err(ErrorReply::not_found(FOLDER_NOT_FOUND)),
    }
}
