//! mp4u: a terminal file manager for mp4upload.com accounts.

pub mod api;
pub mod cli;
pub mod config;
pub mod format;
pub mod sandbox;
