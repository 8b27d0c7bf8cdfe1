//! mp4u: a terminal file manager for mp4upload.com accounts.

pub mod api;
pub mod format;
