//! The app without a terminal or a network: the state machine driven by keys and fake
//! outcomes, the screens as reviewed insta snapshots (in `snapshots/`), the README's key tables
//! and screenshot, and every screen at every size.
//!
//! `cargo test --test tui`; one part: `cargo test --test tui snapshots::`.

#[path = "../common/mod.rs"]
mod common;

mod answers_flows;
mod app_flows;
mod bwlimit_flows;
mod house;
mod keymap_flows;
mod live_flows;
mod look;
mod queue_flows;
mod readme;
mod screenshot;
mod sizes;
mod snapshots;
mod upload_flows;
mod view_flows;
