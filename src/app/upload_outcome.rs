//! What the worker's answers about uploads do: the checks before queueing, the queue file, a
//! tree's plan and its folders, progress, the end of each upload, look-ups and moves.

use super::{App, Command, Level, Outcome};

impl App {
    pub(super) fn on_upload_outcome(&mut self, outcome: Outcome) -> Vec<Command> {
        match outcome {
            Outcome::UploadsChecked { accepted, refused } => {
                self.on_uploads_checked(accepted, refused)
            }
            Outcome::UploadProgress { id, sent, at } => {
                self.on_upload_progress(id, sent, at);
                Vec::new()
            }
            Outcome::UploadFinished { id, result } => self.on_upload_finished(id, result),
            Outcome::UploadLookedUp { id, result } => self.on_upload_looked_up(id, result),
            Outcome::UploadMoved {
                id,
                code,
                fld_id,
                result,
            } => self.on_upload_moved(id, code, fld_id, result),
            Outcome::PlainHttpUpload { host } => {
                if !self.told_plain_http {
                    self.told_plain_http = true;
                    self.notify(
                        Level::Warn,
                        format!(
                            "The upload server {host} is plain http://: files travel unencrypted"
                        ),
                    );
                }
                Vec::new()
            }
            Outcome::QueueLoaded {
                notices,
                unfinished,
                busy,
            } => self.on_queue_loaded(notices, unfinished, busy),
            Outcome::QueueNotices(notices) => {
                for notice in notices {
                    self.notify(Level::Warn, notice);
                }
                Vec::new()
            }
            Outcome::UploadsPrepared { queued, listings } => {
                self.on_uploads_prepared(queued, listings)
            }
            Outcome::TreePlanned { req, result } => {
                self.on_tree_planned(req, result);
                Vec::new()
            }
            Outcome::TreeStarted {
                tree,
                send_all,
                created,
                ..
            } => self.on_tree_started(tree, send_all, created),
            _ => Vec::new(),
        }
    }
}
