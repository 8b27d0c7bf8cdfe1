//! What the state machine asks of the outside world, and what comes back.

use crate::api::{AccountInfo, ApiError, ApiKey, ClonedFile, FileInfo, FileList};

/// Work for the worker (API calls) or for the terminal (clipboard, browser).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    LoadAccount,
    /// folder/list: the subfolders of a folder.
    ListFolder {
        fld_id: u64,
    },
    /// folder/list for where each of a folder's files lives (finding search results' folders).
    IndexFolder {
        fld_id: u64,
    },
    /// file/list of one folder, one page. `debounce` waits a moment first, and the worker skips
    /// the call when a newer listing was asked for meanwhile.
    ListFiles {
        fld_id: u64,
        page: u64,
        per_page: u64,
        req: u64,
        debounce: bool,
    },
    FileInfo {
        code: String,
    },
    /// The changes carry the request they belong to; their answers act only on what asked.
    RenameFiles {
        req: u64,
        codes: Vec<String>,
        name: String,
    },
    /// file/rename, one file at a time: each its own name (a template's renames).
    RenameEach {
        req: u64,
        /// (code, new name)
        renames: Vec<(String, String)>,
    },
    RenameFolder {
        req: u64,
        fld_id: u64,
        name: String,
    },
    CreateFolder {
        req: u64,
        parent: u64,
        name: String,
    },
    CloneFile {
        req: u64,
        file: FileInfo,
    },
    MoveFiles {
        req: u64,
        codes: Vec<String>,
        from: u64,
        to: u64,
    },
    /// Checks a key typed at the first-run prompt with account/info, then saves it.
    CheckKey(ApiKey),
    /// Lists a local directory for the upload picker (`~` is the home directory).
    ReadDir {
        path: String,
    },
    /// Checks local files before they are queued: readable, not empty, not too large.
    CheckUploads {
        paths: Vec<std::path::PathBuf>,
        max_bytes: u64,
    },
    /// Uploads a file into a folder, when a slot is free; `entry` (its entry in the queue file)
    /// is marked as being sent before the first byte goes out, and gets what came of it.
    StartUpload {
        id: u64,
        path: std::path::PathBuf,
        fld_id: u64,
        entry: u64,
    },
    /// Stops an upload at once (queued or running).
    CancelUpload {
        id: u64,
    },
    /// Sets the total upload rate, bytes a second (`None`: no limit), for running uploads too.
    SetBwLimit(Option<u64>),
    /// Looks on the account for an upload whose reply was lost (and moves it into its folder
    /// when found); nothing is sent.
    LookupUpload {
        id: u64,
        lookup: crate::api::LostUpload,
        fld_id: u64,
        entry: u64,
    },
    /// Moves a finished upload that was left in the root into its folder.
    MoveUpload {
        id: u64,
        code: String,
        fld_id: u64,
        entry: u64,
    },
    /// Reads the queue file: what earlier runs left unfinished on this account.
    LoadQueue,
    /// Writes uploads to the queue file (new ones, and paused ones claimed to resume), each
    /// under the id of its row, and lists to their end the folders whose files the check for
    /// duplicates needs.
    PrepareUploads {
        enqueue: Vec<(u64, crate::queue::NewEntry)>,
        list_folders: Vec<u64>,
    },
    /// Takes paused uploads over by their entries in the queue file, (row, entry) each: each
    /// comes back as the file holds it now (finished by another mp4u, busy, gone, or this
    /// process's), with the folders listed as for [`Command::PrepareUploads`].
    TakeUploads {
        take: Vec<(u64, u64)>,
        list_folders: Vec<u64>,
    },
    /// Records entries skipped as already on the account: (entry, code, link).
    RecordSkipped {
        items: Vec<(u64, String, String)>,
    },
    /// Removes entries from the queue file (cancelled, given up on).
    ForgetUploads {
        entries: Vec<u64>,
    },
    /// Removes the finished entries from the queue file.
    ClearFinished,
    /// Reads local directories (and files) and plans their upload into a folder as `mp4u sync`
    /// does: folders to create, files to send, files already there.
    PlanTree {
        req: u64,
        paths: Vec<std::path::PathBuf>,
        fld_id: u64,
        folder_path: String,
        max_bytes: u64,
    },
    /// Creates the folders of a planned tree, parents first; its files are queued after.
    StartTree {
        req: u64,
        tree: Box<super::popups::directory::TreePlan>,
        send_all: bool,
    },
    /// account/stats for the last `days` days.
    LoadStats {
        days: u32,
    },
    /// files/deleted, the last `last`.
    LoadDeleted {
        last: u32,
    },
    /// file/info for many codes, 50 per call.
    CheckLinks {
        codes: Vec<String>,
        req: u64,
    },
    /// file/list across the account with filters; one page.
    Search {
        query: crate::api::FileListQuery,
        req: u64,
    },
    /// Writes text to a new file `<dir>/<prefix>-<time>.<extension>`.
    Export {
        dir: std::path::PathBuf,
        prefix: String,
        extension: &'static str,
        contents: String,
    },
    /// Remembers a choice in the config file: the file list's order (`sort`), the links'
    /// format (`link_format`).
    Remember {
        key: &'static str,
        value: String,
    },
    /// Puts text on the clipboard (OSC 52, and the system clipboard where there is one).
    Copy(String),
    OpenUrl(String),
    /// Stops the program to the shell (Ctrl-Z) until `fg`: for the terminal side, which gives
    /// the terminal back first and takes it again after; nothing goes to the worker.
    Suspend,
}

/// Who runs a command: the worker splits its work along these lines (`worker::api`,
/// `worker::local`), uploads have their own tasks, and the terminal side suspends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    /// A call of the API (checking a new key saves it to the config too).
    Api,
    /// Work on this machine: the clipboard, the browser, directories, exports, the config.
    Local,
    /// Starting or stopping an upload, or changing the limit all uploads share.
    Upload,
    /// The upload queue file (and the listings the check for duplicates needs).
    Queue,
    /// The terminal itself (Ctrl-Z).
    Terminal,
}

impl Command {
    /// Who runs this command. Every variant is named, so a new one must say.
    pub fn kind(&self) -> CommandKind {
        use Command::*;
        match self {
            LoadAccount
            | ListFolder { .. }
            | IndexFolder { .. }
            | ListFiles { .. }
            | FileInfo { .. }
            | RenameFiles { .. }
            | RenameEach { .. }
            | RenameFolder { .. }
            | CreateFolder { .. }
            | CloneFile { .. }
            | MoveFiles { .. }
            | CheckKey(_)
            | LookupUpload { .. }
            | MoveUpload { .. }
            | LoadStats { .. }
            | LoadDeleted { .. }
            | CheckLinks { .. }
            | Search { .. }
            | PlanTree { .. }
            | StartTree { .. } => CommandKind::Api,
            ReadDir { .. }
            | CheckUploads { .. }
            | Export { .. }
            | Remember { .. }
            | Copy(_)
            | OpenUrl(_) => CommandKind::Local,
            StartUpload { .. } | CancelUpload { .. } | SetBwLimit(_) => CommandKind::Upload,
            LoadQueue
            | PrepareUploads { .. }
            | TakeUploads { .. }
            | RecordSkipped { .. }
            | ForgetUploads { .. }
            | ClearFinished => CommandKind::Queue,
            Suspend => CommandKind::Terminal,
        }
    }
}

/// The answer to a command, tagged with what it answers.
#[derive(Debug, Clone)]
pub enum Outcome {
    Account(Result<AccountInfo, ApiError>),
    Folder {
        fld_id: u64,
        result: Result<crate::api::Subfolders, ApiError>,
    },
    FolderIndexed {
        fld_id: u64,
        result: Result<crate::api::FolderIndex, ApiError>,
    },
    Files {
        fld_id: u64,
        page: u64,
        per_page: u64,
        req: u64,
        result: Result<FileList, ApiError>,
    },
    /// A debounced listing that the worker skipped because a newer one was asked for.
    FilesSkipped {
        fld_id: u64,
        req: u64,
    },
    FileInfo {
        code: String,
        result: Result<FileInfo, ApiError>,
    },
    FilesRenamed {
        req: u64,
        codes: Vec<String>,
        name: String,
        result: Result<Vec<FileInfo>, ApiError>,
    },
    /// Each file's answer: (code, new name, whether it exists and was renamed, or the error).
    FilesRenamedEach {
        req: u64,
        results: Vec<(String, String, Result<bool, ApiError>)>,
    },
    FolderRenamed {
        req: u64,
        fld_id: u64,
        name: String,
        result: Result<(), ApiError>,
    },
    FolderCreated {
        req: u64,
        parent: u64,
        name: String,
        result: Result<u64, ApiError>,
    },
    Cloned {
        req: u64,
        source: Box<FileInfo>,
        result: Result<ClonedFile, ApiError>,
    },
    Moved {
        req: u64,
        codes: Vec<String>,
        from: u64,
        to: u64,
        result: Result<(), ApiError>,
    },
    KeyChecked(Result<AccountInfo, String>),
    Stats {
        days: u32,
        result: Result<Vec<crate::api::DayStats>, ApiError>,
    },
    Deleted {
        last: u32,
        result: Result<Vec<crate::api::DeletedFile>, ApiError>,
    },
    LinksChecked {
        req: u64,
        result: Result<Vec<FileInfo>, ApiError>,
    },
    SearchResults {
        req: u64,
        page: u64,
        per_page: u64,
        result: Result<FileList, ApiError>,
    },
    Exported {
        result: Result<std::path::PathBuf, String>,
    },
    DirListed {
        path: String,
        result: Result<Vec<super::popups::picker::LocalEntry>, String>,
    },
    UploadsChecked {
        accepted: Vec<super::popups::picker::CheckedFile>,
        /// Files refused before sending: the path and why.
        refused: Vec<(std::path::PathBuf, String)>,
    },
    /// An upload goes to a plain `http://` server: the file travels unencrypted.
    PlainHttpUpload {
        host: String,
    },
    UploadProgress {
        id: u64,
        sent: u64,
        at: std::time::Instant,
    },
    UploadFinished {
        id: u64,
        result: Result<crate::api::UploadedFile, ApiError>,
    },
    /// The look-up of an upload whose reply was lost: found (and placed), or not there.
    UploadLookedUp {
        id: u64,
        result: Result<Option<crate::api::UploadedFile>, ApiError>,
    },
    UploadMoved {
        id: u64,
        code: String,
        fld_id: u64,
        result: Result<(), ApiError>,
    },
    /// What the queue file holds for this account, unfinished: free to resume, and being sent
    /// by another running mp4u. `notices`: a damaged file set aside, a queue kept in memory.
    QueueLoaded {
        notices: Vec<String>,
        unfinished: Vec<crate::queue::Entry>,
        busy: Vec<crate::queue::Entry>,
    },
    /// What the queue file had to say while a queue command ran (a damaged file set aside).
    QueueNotices(Vec<String>),
    /// The answer to [`Command::PrepareUploads`]: each row's entry, and the folders listed.
    UploadsPrepared {
        queued: Vec<(u64, Claim)>,
        listings: Vec<(u64, crate::queue::KnownFiles)>,
    },
    TreePlanned {
        req: u64,
        result: Result<Box<super::popups::directory::TreePlan>, String>,
    },
    /// The folders of a tree were created (each one's id, or why not): its files can go.
    TreeStarted {
        req: u64,
        tree: Box<super::popups::directory::TreePlan>,
        send_all: bool,
        created: Vec<Result<u64, String>>,
    },
    /// A clipboard or browser action that could not be done.
    LocalError(String),
}

/// What writing an upload to the queue file made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This process's entry: new, or one left unfinished that it took over (in the state it
    /// was left in).
    Mine(Box<crate::queue::Entry>),
    /// Another running mp4u is sending the same file to the same folder: its entry, as it
    /// is (asked for again later, it may be free by then).
    Busy(Box<crate::queue::Entry>),
    /// This session queued the same file for the same folder already: it is sent once.
    Twice,
    /// Finished already (by another mp4u, while this one held a copy): its entry as it is.
    Finished(Box<crate::queue::Entry>),
    /// Not in the queue file any more (given up in another mp4u).
    Gone,
    /// The queue file could not be written: why.
    Failed(String),
}
