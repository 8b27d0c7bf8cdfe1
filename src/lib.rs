//! mp4u: a terminal file manager for mp4upload.com accounts.

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod format;
pub mod geometry;
pub mod hook;
pub mod links;
pub mod look;
pub mod queue;
pub mod sandbox;
pub mod sort;
pub mod stop;
pub mod sync;
pub mod template;
pub mod text;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod worker;
