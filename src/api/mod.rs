//! The mp4upload API client: one async method per call, tolerant decoding, one error type.

mod client;
pub mod de;
pub mod envelope;
mod error;
pub mod policy;
mod types;
mod upload;

pub use client::{Client, DEFAULT_BASE_URL, FileListQuery, INFO_BATCH, UPLOAD_STALL, check_name};
pub use error::{ApiError, ApiKey, TransportKind, redact};
pub use types::{
    AccountInfo, ClonedFile, DayStats, DeletedFile, FileInfo, FileList, Folder, FolderFile,
    FolderListing, StorageLeft, UploadReply, UploadServer, UploadedFile,
};
pub use upload::{check_local_file, video_warning};
