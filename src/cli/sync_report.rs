//! What `mp4u sync` prints at the end: uploaded, skipped and failed files with their links, the
//! folders created, as text or as one JSON object. A dry run prints its plan the same way.

use serde::Serialize;

use crate::api::UploadedFile;
use crate::format::{plural, size};
use crate::sync::{Plan, PlannedUpload, Scan, Skip};

#[derive(Serialize)]
pub struct Target {
    /// `null` in a dry run that would create it.
    pub fld_id: Option<u64>,
    pub path: String,
}

#[derive(Serialize)]
pub struct Created {
    pub path: String,
    /// `null` in a dry run.
    pub fld_id: Option<u64>,
}

/// A file uploaded or skipped (or, in a dry run, to upload).
#[derive(Serialize)]
pub struct Sent {
    /// Its path within the synced directory.
    pub file: String,
    /// The local file, absolute.
    pub path: String,
    pub name: String,
    pub size: u64,
    /// The folder it is in (or goes to) on the account.
    pub folder: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Why it was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Sent {
    pub fn of(upload: &PlannedUpload, uploaded: Option<&UploadedFile>) -> Sent {
        Sent {
            file: upload.file.rel.clone(),
            path: upload.file.path.display().to_string(),
            name: upload.file.name.clone(),
            size: upload.file.size,
            folder: upload.folder_path.clone(),
            file_code: uploaded.map(|u| u.file_code.clone()),
            url: uploaded.map(|u| u.url.clone()),
            reason: None,
        }
    }

    pub fn skipped(skip: &Skip, url: String) -> Sent {
        Sent {
            file: skip.file.rel.clone(),
            path: skip.file.path.display().to_string(),
            name: skip.file.name.clone(),
            size: skip.file.size,
            folder: skip.folder_path.clone(),
            file_code: Some(skip.file_code.clone()),
            url: Some(url),
            reason: Some(crate::queue::run::ALREADY_THERE.into()),
        }
    }
}

/// A file not uploaded, or a part of the tree left out.
#[derive(Serialize)]
pub struct Failed {
    pub file: String,
    pub reason: String,
}

#[derive(Serialize)]
pub struct Counts {
    pub uploaded: usize,
    pub skipped: usize,
    pub failed: usize,
    pub created: usize,
    pub hidden: usize,
}

/// The whole report. In a dry run, `created` and `uploaded` say what would be done.
#[derive(Serialize)]
pub struct Summary {
    pub dry_run: bool,
    pub folder: Target,
    pub created: Vec<Created>,
    pub uploaded: Vec<Sent>,
    pub skipped: Vec<Sent>,
    pub failed: Vec<Failed>,
    /// Hidden entries left out (paths within the directory).
    pub hidden: Vec<String>,
    pub counts: Option<Counts>,
}

impl Summary {
    pub fn new(dry_run: bool, fld_id: Option<u64>, path: &str, scan: &Scan) -> Summary {
        Summary {
            dry_run,
            folder: Target {
                fld_id,
                path: path.to_string(),
            },
            created: Vec::new(),
            uploaded: Vec::new(),
            skipped: Vec::new(),
            failed: Vec::new(),
            hidden: scan.hidden.clone(),
            counts: None,
        }
    }

    /// The plan's folders and uploads, as what a run would do.
    pub fn dry_plan(&mut self, plan: &Plan) {
        self.created.extend(plan.create.iter().map(|f| Created {
            path: f.path.clone(),
            fld_id: None,
        }));
        self.uploaded = plan.upload.iter().map(|u| Sent::of(u, None)).collect();
    }

    pub fn print(mut self, json: bool) {
        self.counts = Some(Counts {
            uploaded: self.uploaded.len(),
            skipped: self.skipped.len(),
            failed: self.failed.len(),
            created: self.created.len(),
            hidden: self.hidden.len(),
        });
        if json {
            let text = serde_json::to_string_pretty(&self).unwrap_or_else(|_| "{}".into());
            println!("{text}");
        } else if self.dry_run {
            print!("{}", self.plan_text());
        } else {
            print!("{}", self.result_text());
        }
    }

    fn hidden_note(&self) -> String {
        match self.hidden.len() {
            0 => String::new(),
            n => format!(
                "; {} left out",
                if n == 1 {
                    "1 hidden entry".to_string()
                } else {
                    format!("{} hidden entries", crate::format::count(n as u64))
                }
            ),
        }
    }

    fn plan_text(&self) -> String {
        let mut out = String::new();
        for folder in &self.created {
            out.push_str(&format!("create folder  {}\n", folder.path));
        }
        for file in &self.uploaded {
            out.push_str(&format!(
                "upload         {} ({}) → {}\n",
                file.file,
                size(file.size),
                file.folder
            ));
        }
        for file in &self.skipped {
            out.push_str(&format!(
                "skip           {} (already on the account: {})\n",
                file.file,
                file.url.as_deref().unwrap_or("?")
            ));
        }
        let bytes: u64 = self.uploaded.iter().map(|f| f.size).sum();
        out.push_str(&format!(
            "dry run: {} to create, {} to upload ({}), {} to skip, {} left out{}; nothing was \
             changed\n",
            plural(self.created.len(), "folder"),
            plural(self.uploaded.len(), "file"),
            size(bytes),
            crate::format::count(self.skipped.len() as u64),
            crate::format::count(self.failed.len() as u64),
            self.hidden_note()
        ));
        out
    }

    fn result_text(&self) -> String {
        let mut out = String::new();
        for file in &self.uploaded {
            out.push_str(&format!(
                "uploaded  {}  {}\n",
                file.url.as_deref().unwrap_or("?"),
                file.file
            ));
        }
        for file in &self.skipped {
            let reason = file.reason.as_deref().unwrap_or("skipped");
            match &file.url {
                Some(url) => out.push_str(&format!("skipped   {url}  {} ({reason})\n", file.file)),
                None => out.push_str(&format!("skipped   {} ({reason})\n", file.file)),
            }
        }
        out.push_str(&format!(
            "{} uploaded, {} skipped, {} failed; {} created{}\n",
            crate::format::count(self.uploaded.len() as u64),
            crate::format::count(self.skipped.len() as u64),
            crate::format::count(self.failed.len() as u64),
            plural(self.created.len(), "folder"),
            self.hidden_note()
        ));
        out
    }
}
