//! `mp4u sync DIR --folder FOLDER`: the contents of a local directory copied into a folder of the
//! account, as `rclone copy DIR remote:FOLDER` copies them.
//!
//! 1. [`local::scan`] reads the local tree (see its docs for links, hidden entries, names and
//!    what is left out).
//! 2. [`remote::fetch`] lists the folders the tree reaches on the account.
//! 3. [`plan::plan`] puts the two side by side: folders to create (only those that will hold
//!    something: empty directories are not created, as rclone copy does not create them by
//!    default), files to skip (a file of the same name and size in the folder,
//!    [`crate::queue::find_duplicate`]) and files to upload.
//!
//! The CLI then creates the folders and sends the uploads through the upload queue
//! ([`crate::queue`]), so a sync cut short is resumed by `mp4u upload --resume` (or by running
//! it again). A second run over an unchanged tree creates nothing and sends nothing.

pub mod local;
pub mod plan;
pub mod remote;
#[cfg(test)]
mod tests;

pub use local::{LocalDir, LocalFile, Problem, Scan, scan};
pub use plan::{FolderRef, NewFolder, Plan, PlannedUpload, Skip, plan};
pub use remote::{RemoteFolder, RemoteTree, fetch};
