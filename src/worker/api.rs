//! API calls: each command that asks the service, run with the client, its answer tagged.

use crate::api::{ApiError, Client, FileListQuery};
use crate::app::{Command, Outcome};

/// Runs one API command.
pub(super) async fn call(client: &Client, command: Command) -> Outcome {
    match command {
        Command::LoadAccount => Outcome::Account(client.account_info().await),
        Command::ListFolder { fld_id } => Outcome::Folder {
            fld_id,
            result: client.subfolders(fld_id).await,
        },
        Command::IndexFolder { fld_id } => Outcome::FolderIndexed {
            fld_id,
            result: client.folder_index(fld_id).await,
        },
        Command::ListFiles {
            fld_id,
            page,
            per_page,
            req,
            ..
        } => {
            let query = FileListQuery {
                page: Some(page),
                per_page: Some(per_page),
                fld_id: Some(fld_id),
                ..Default::default()
            };
            Outcome::Files {
                fld_id,
                page,
                per_page,
                req,
                result: client.file_list(&query).await,
            }
        }
        Command::FileInfo { code } => {
            let result = client
                .file_info(std::slice::from_ref(&code))
                .await
                .and_then(|items| {
                    items
                        .into_iter()
                        .find(|i| i.file_code == code)
                        .ok_or_else(|| ApiError::Api {
                            status: 404,
                            msg: "no file".into(),
                        })
                });
            Outcome::FileInfo { code, result }
        }
        Command::RenameFiles { req, codes, name } => {
            let result = client.file_rename(&codes, &name).await;
            Outcome::FilesRenamed {
                req,
                codes,
                name,
                result,
            }
        }
        Command::RenameEach { req, renames } => {
            let mut results = Vec::with_capacity(renames.len());
            for (code, name) in renames {
                let renamed = client
                    .file_rename(std::slice::from_ref(&code), &name)
                    .await
                    .map(|items| items.iter().any(|i| i.exists()));
                results.push((code, name, renamed));
            }
            Outcome::FilesRenamedEach { req, results }
        }
        Command::RenameFolder { req, fld_id, name } => {
            let result = client.folder_rename(fld_id, &name).await;
            Outcome::FolderRenamed {
                req,
                fld_id,
                name,
                result,
            }
        }
        Command::CreateFolder { req, parent, name } => {
            let result = client.folder_create(Some(parent), &name).await;
            Outcome::FolderCreated {
                req,
                parent,
                name,
                result,
            }
        }
        Command::CloneFile { req, file } => {
            let result = client.file_clone(&file.file_code).await;
            Outcome::Cloned {
                req,
                source: Box::new(file),
                result,
            }
        }
        Command::MoveFiles {
            req,
            codes,
            from,
            to,
        } => {
            let result = client.file_set_folder(&codes, to).await;
            Outcome::Moved {
                req,
                codes,
                from,
                to,
                result,
            }
        }
        Command::LoadStats { days } => Outcome::Stats {
            days,
            result: client.account_stats(Some(days)).await,
        },
        Command::LoadDeleted { last } => Outcome::Deleted {
            last,
            result: client.files_deleted(Some(last)).await,
        },
        Command::CheckLinks { codes, req } => Outcome::LinksChecked {
            req,
            result: client.file_info(&codes).await,
        },
        Command::Search { query, req } => Outcome::SearchResults {
            req,
            page: query.page.unwrap_or(1),
            per_page: query.per_page.unwrap_or(20),
            result: client.file_list(&query).await,
        },
        Command::LookupUpload {
            id, lookup, fld_id, ..
        } => {
            let folder = (fld_id != crate::app::tree::ROOT).then_some(fld_id);
            let result = match client.find_upload(&lookup).await {
                Ok(Some(found)) => client
                    .finish_upload(
                        found.file_code,
                        lookup.name.clone(),
                        lookup.size,
                        folder,
                        found.uploaded.map(|u| u.to_string()),
                        true,
                    )
                    .await
                    .map(Some),
                Ok(None) => Ok(None),
                Err(e) => Err(ApiError::UploadUnconfirmed {
                    reason: e.to_string(),
                    lookup: Box::new(lookup),
                }),
            };
            Outcome::UploadLookedUp { id, result }
        }
        Command::MoveUpload {
            id, code, fld_id, ..
        } => {
            let result = client
                .file_set_folder(std::slice::from_ref(&code), fld_id)
                .await;
            Outcome::UploadMoved {
                id,
                code,
                fld_id,
                result,
            }
        }
        other => Outcome::LocalError(format!("internal: {:?} is not an API call", other.kind())),
    }
}

pub(super) fn outcome_error(outcome: &Outcome) -> Option<String> {
    let error = match outcome {
        Outcome::Account(Err(e))
        | Outcome::Folder { result: Err(e), .. }
        | Outcome::FolderIndexed { result: Err(e), .. }
        | Outcome::Files { result: Err(e), .. }
        | Outcome::FileInfo { result: Err(e), .. }
        | Outcome::FilesRenamed { result: Err(e), .. }
        | Outcome::FolderRenamed { result: Err(e), .. }
        | Outcome::FolderCreated { result: Err(e), .. }
        | Outcome::Cloned { result: Err(e), .. }
        | Outcome::Moved { result: Err(e), .. } => e,
        _ => return None,
    };
    Some(error.to_string())
}
