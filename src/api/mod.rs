//! The mp4upload API client: one async method per call, tolerant decoding, one error type.

pub mod bandwidth;
mod client;
pub mod de;
pub mod envelope;
mod error;
mod files;
mod fingerprint;
mod folders;
mod names;
pub mod paging;
pub mod policy;
mod types;
mod upload;
pub mod walk;

/// The root folder's id.
pub const ROOT_FOLDER: u64 = 0;

pub use bandwidth::{Bandwidth, BwLimit};
pub use client::{Client, DEFAULT_BASE_URL, FileListQuery, INFO_BATCH, Listing, UPLOAD_STALL};
pub use error::{ApiError, ApiKey, LostUpload, TransportKind, redact};
pub use names::{Pick, check_name, clean_name, file_link, is_code, pick};
pub use paging::{Completeness, PageSize, Pager};
pub use types::{
    AccountInfo, ClonedFile, DayStats, DeletedFile, FileInfo, FileList, FilePlace, Folder,
    FolderFile, FolderIndex, FolderListing, Placement, StorageLeft, Subfolders, UploadReply,
    UploadServer, UploadedFile,
};
pub use upload::{
    BeforeEnd, Places, SendFailure, SentFile, check_local_file, name_stem, same_upload_name,
    sends_in_the_clear, server_offset, unix_now, video_warning,
};
pub use walk::FolderWalk;
