//! End to end: the real `mp4u` binary in a pseudo-terminal on a sandbox started by the test,
//! keys in and the screen read back (`common/pty.rs`); browsing, views, uploads, and a bad
//! network.
//!
//! `cargo test --test e2e`; one part: `cargo test --test e2e uploads::`.

#[path = "../common/mod.rs"]
mod common;

mod answers;
mod bwlimit;
mod exactly_once;
mod faults;
mod live;
mod look;
mod profiles;
mod resume;
mod tui;
mod uploads;
mod views;
