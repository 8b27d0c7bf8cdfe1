//! The file calls: `file/info`, `file/list` (a page, or every page), `file/rename`,
//! `file/clone`, `file/set_folder`, and `files/deleted`.

use std::collections::{HashMap, HashSet};

use super::de::Skipped;
use super::error::ApiError;
use super::paging::{Completeness, PageReport, Pager};
use super::types::{CloneResult, ClonedFile, DeletedFile, FileInfo, FileItems, FileList};

use super::client::{Client, FileListQuery, INFO_BATCH, Listing, opt_param};
use super::names::checked_name;

impl Client {
    /// `file/info`: one entry per code given (each once, in the order given), each with its own
    /// status (404: no such file). Asked [`INFO_BATCH`] codes a call (the live service answers
    /// at most 50); codes a reply leaves out are asked again, so that a server with a lower cap
    /// never makes a file look missing.
    pub async fn file_info(&self, codes: &[String]) -> Result<Vec<FileInfo>, ApiError> {
        let mut order: Vec<String> = Vec::with_capacity(codes.len());
        let mut seen = HashSet::new();
        for code in codes {
            let code = code.trim();
            if !code.is_empty() && seen.insert(code.to_ascii_lowercase()) {
                order.push(code.to_string());
            }
        }
        code_list(&order)?;
        let mut found: HashMap<String, FileInfo> = HashMap::with_capacity(order.len());
        let mut left: Vec<String> = order.clone();
        while !left.is_empty() {
            let batch: Vec<String> = left.iter().take(INFO_BATCH).cloned().collect();
            let reply = self
                .read::<FileItems>("file/info", &[("file_code", code_list(&batch)?)])
                .await?;
            let mut answered = 0;
            for item in reply.env.result.0 {
                let code = item.file_code.to_ascii_lowercase();
                if batch.iter().any(|b| b.eq_ignore_ascii_case(&code)) && !found.contains_key(&code)
                {
                    answered += 1;
                    found.insert(code, item);
                }
            }
            left.retain(|c| !found.contains_key(&c.to_ascii_lowercase()));
            if answered == 0 {
                // The server said nothing of any code asked about: it has none of them.
                for code in batch {
                    found.insert(code.to_ascii_lowercase(), FileInfo::missing(&code));
                    left.retain(|c| *c != code);
                }
            }
        }
        Ok(order
            .iter()
            .map(|code| {
                found
                    .remove(&code.to_ascii_lowercase())
                    .unwrap_or_else(|| FileInfo::missing(code))
            })
            .collect())
    }

    /// `file/list`: one page of files, filtered.
    pub async fn file_list(&self, query: &FileListQuery) -> Result<FileList, ApiError> {
        let mut params = Vec::new();
        params.extend(opt_param("page", query.page));
        params.extend(opt_param("per_page", query.per_page));
        params.extend(opt_param("fld_id", query.fld_id));
        params.extend(opt_param("public", query.public.map(u8::from)));
        params.extend(opt_param("created", query.created.as_deref()));
        params.extend(opt_param("name", query.name.as_deref()));
        let reply = self.read::<FileList>("file/list", &params).await?;
        let mut list = reply.env.result;
        // Files listed by folder are in that folder, whether or not the reply says so (the
        // seed's file/list carries no fld_id).
        if let Some(fld_id) = query.fld_id {
            for file in &mut list.files {
                file.fld_id.get_or_insert(fld_id);
            }
        }
        Ok(list)
    }

    /// `file/list` paged through to its end ([`Pager`]), or until `limit` files came (then
    /// the listing says it is incomplete). `query.page` and `query.per_page` are ignored.
    pub async fn file_list_all(
        &self,
        query: &FileListQuery,
        limit: Option<usize>,
    ) -> Result<Listing, ApiError> {
        let mut files: Vec<FileInfo> = Vec::new();
        let mut codes: HashSet<String> = HashSet::new();
        let mut pager = Pager::new(&self.page_size());
        loop {
            let (page, per_page) = pager.next();
            let list = self
                .file_list(&FileListQuery {
                    page: Some(page),
                    per_page: Some(per_page),
                    ..query.clone()
                })
                .await?;
            let received = list.files.len() as u64;
            let before = files.len();
            for file in list.files {
                if codes.insert(file.file_code.clone()) {
                    files.push(file);
                }
            }
            let report = PageReport {
                received,
                added: (files.len() - before) as u64,
                total_pages: list.total_pages,
                results_total: list.results_total,
            };
            let over = {
                let mut known = self.page_size.lock().unwrap_or_else(|e| e.into_inner());
                pager.on_page(report, &mut known)
            };
            if let Some(limit) = limit
                && files.len() >= limit
            {
                let more = !over || files.len() > limit;
                files.truncate(limit);
                return Ok(Listing {
                    files,
                    completeness: if more {
                        Completeness::Incomplete(format!(
                            "the first {} files (the limit)",
                            crate::format::count(limit as u64)
                        ))
                    } else {
                        pager.done().cloned().unwrap_or(Completeness::Complete)
                    },
                });
            }
            if over {
                return Ok(Listing {
                    files,
                    completeness: pager.done().cloned().unwrap_or(Completeness::Complete),
                });
            }
        }
    }

    /// `file/rename`: gives every listed file the same name; one entry per code the server
    /// answered about. Asked [`INFO_BATCH`] codes a call.
    pub async fn file_rename(
        &self,
        codes: &[String],
        name: &str,
    ) -> Result<Vec<FileInfo>, ApiError> {
        code_list(codes)?;
        let name = checked_name(name)?;
        let mut out = Vec::with_capacity(codes.len());
        for batch in codes.chunks(INFO_BATCH) {
            let reply = self
                .call::<FileItems>(
                    "file/rename",
                    &[("file_code", code_list(batch)?), ("name", name.clone())],
                )
                .await?;
            out.extend(reply.env.result.0);
        }
        Ok(out)
    }

    /// `file/clone`: a new copy of the file, with its own code (and the link mp4u makes of it).
    pub async fn file_clone(&self, code: &str) -> Result<ClonedFile, ApiError> {
        let code = code_list(&[code.to_string()])?;
        let reply = self
            .call::<CloneResult>("file/clone", &[("file_code", code)])
            .await?;
        let mut cloned = reply
            .env
            .result
            .0
            .ok_or_else(|| self.unexpected("file/clone", &reply.body))?;
        cloned.url = Some(self.file_link(&cloned.file_code));
        Ok(cloned)
    }

    /// `file/set_folder`: moves the files into folder `fld_id` (0 is the root), [`INFO_BATCH`]
    /// codes a call. Moving a file where it already is changes nothing, so this is retried like
    /// a read.
    pub async fn file_set_folder(&self, codes: &[String], fld_id: u64) -> Result<(), ApiError> {
        code_list(codes)?;
        for batch in codes.chunks(INFO_BATCH) {
            self.read::<Skipped>(
                "file/set_folder",
                &[
                    ("file_code", code_list(batch)?),
                    ("fld_id", fld_id.to_string()),
                ],
            )
            .await?;
        }
        Ok(())
    }

    /// `files/deleted`: the most recently deleted files; `last` is how many.
    pub async fn files_deleted(&self, last: Option<u32>) -> Result<Vec<DeletedFile>, ApiError> {
        let reply = self
            .read::<super::de::AnyList<DeletedFile>>("files/deleted", &opt_param("last", last))
            .await?;
        Ok(reply.env.result.0)
    }
}

/// Joins file codes with commas, refusing an empty list or a code with odd characters.
pub(super) fn code_list(codes: &[String]) -> Result<String, ApiError> {
    let codes: Vec<&str> = codes
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return Err(ApiError::InvalidInput("no file code given".into()));
    }
    if let Some(bad) = codes.iter().find(|c| {
        !c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    }) {
        return Err(ApiError::InvalidInput(format!(
            "{bad:?} is not a file code (letters and digits only)"
        )));
    }
    Ok(codes.join(","))
}
