//! The upload queue: every upload of this session with its state, progress and speed, and the
//! entry of the queue file it belongs to ([`crate::queue`]), which outlives the program.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::api::{LostUpload, Placement};

/// Speed is averaged over this much recent time, not since the start.
pub const SPEED_WINDOW: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadState {
    /// Waiting for a free slot.
    Queued,
    /// Started: bytes go out (or the server is asked where to send them).
    Running,
    /// Looking on the account for a file whose reply was lost, before anything is sent again.
    Checking {
        lookup: LostUpload,
    },
    Done {
        code: String,
        url: String,
        /// Where the file is: in its folder, or left in the root when the move failed.
        placement: Placement,
        /// The move into the folder is being tried again (`m`).
        moving: bool,
    },
    /// The server's reason or the transport error.
    Failed(String),
    /// Refused before anything was sent (missing, unreadable, empty, too large): why.
    Refused(String),
    /// The reply was lost and the account could not be checked: the file may be on it. Retrying
    /// looks again before sending anything.
    Unknown {
        reason: String,
        lookup: LostUpload,
    },
    Cancelled,
    /// Left unfinished by an earlier run (or another mp4u that is gone): nothing happens to it
    /// until it is resumed. `note` says how it was left.
    Paused {
        note: String,
    },
    /// Another running mp4u is working on the same file for the same folder: left to it.
    Elsewhere {
        pid: Option<u32>,
    },
    /// A file of the same name and size is in the folder: waiting for the user's choice.
    Duplicate {
        code: String,
        url: String,
    },
    /// Not sent: a file of the same name and size was in the folder already.
    Skipped {
        code: String,
        url: String,
    },
}

/// Where an upload stands on the check for a file of the same name and size in its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DupCheck {
    /// To be checked before it is sent.
    Needed,
    /// Checked (none there), or the user chose to send it anyway, or it was planned already.
    Passed,
}

impl UploadState {
    pub fn label(&self) -> &'static str {
        match self {
            UploadState::Queued => "queued",
            UploadState::Running => "sending",
            UploadState::Checking { .. } => "checking",
            UploadState::Done {
                placement: Placement::LeftInRoot { .. },
                ..
            } => "not moved",
            UploadState::Done { .. } => "done",
            UploadState::Failed(_) => "failed",
            UploadState::Refused(_) => "refused",
            UploadState::Unknown { .. } => "unknown",
            UploadState::Cancelled => "cancelled",
            UploadState::Paused { .. } => "paused",
            UploadState::Elsewhere { .. } => "elsewhere",
            UploadState::Duplicate { .. } => "duplicate",
            UploadState::Skipped { .. } => "skipped",
        }
    }

    /// Over, with nothing left to do: the finished ones `C` clears (an upload left in `/`
    /// stays, it waits for `m`).
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            UploadState::Done {
                placement: Placement::InFolder { .. },
                ..
            } | UploadState::Skipped { .. }
                | UploadState::Refused(_)
                | UploadState::Cancelled
        )
    }

    /// Queued, running or being checked: the upload is not over.
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            UploadState::Queued | UploadState::Running | UploadState::Checking { .. }
        )
    }

    /// Holds a slot of the parallel uploads (or look-ups).
    pub fn holds_slot(&self) -> bool {
        matches!(self, UploadState::Running | UploadState::Checking { .. })
    }
}

#[derive(Debug, Clone)]
pub struct Upload {
    pub id: u64,
    pub path: PathBuf,
    pub name: String,
    pub size: u64,
    pub fld_id: u64,
    pub folder_path: String,
    pub state: UploadState,
    pub sent: u64,
    /// (when, bytes sent) over the last few seconds.
    samples: VecDeque<(Instant, u64)>,
    /// A warning given when it was queued (not a video extension).
    pub warning: Option<String>,
    /// Its entry in the queue file, once written there (nothing starts before).
    pub entry: Option<crate::queue::Entry>,
    /// The check for a file of the same name and size in the folder.
    pub dup: DupCheck,
}

impl Upload {
    /// Bytes a second over the last few seconds; `None` until there are two samples.
    pub fn speed(&self) -> Option<f64> {
        let (t0, b0) = *self.samples.front()?;
        let (t1, b1) = *self.samples.back()?;
        let secs = t1.duration_since(t0).as_secs_f64();
        (secs > 0.05).then(|| b1.saturating_sub(b0) as f64 / secs)
    }

    /// Seconds left at the current speed.
    pub fn eta(&self) -> Option<u64> {
        let speed = self.speed().filter(|s| *s > 0.0)?;
        Some((self.size.saturating_sub(self.sent) as f64 / speed).ceil() as u64)
    }

    pub fn fraction(&self) -> f64 {
        match self.state {
            UploadState::Done { .. } => 1.0,
            _ if self.size == 0 => 0.0,
            _ => (self.sent as f64 / self.size as f64).clamp(0.0, 1.0),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct UploadQueue {
    pub items: Vec<Upload>,
    next_id: u64,
    /// The total rate all uploads share, bytes a second (`None`: no limit).
    pub bwlimit: Option<u64>,
}

impl UploadQueue {
    /// An empty queue whose uploads share a limit.
    pub fn with_limit(bwlimit: Option<u64>) -> UploadQueue {
        UploadQueue {
            bwlimit: bwlimit.filter(|r| *r > 0),
            ..UploadQueue::default()
        }
    }

    /// Adds an upload in state Queued; returns its id.
    pub fn push(
        &mut self,
        path: PathBuf,
        size: u64,
        fld_id: u64,
        folder_path: String,
        warning: Option<String>,
    ) -> u64 {
        self.next_id += 1;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        self.items.push(Upload {
            id: self.next_id,
            path,
            name,
            size,
            fld_id,
            folder_path,
            state: UploadState::Queued,
            sent: 0,
            samples: VecDeque::new(),
            warning,
            entry: None,
            dup: DupCheck::Needed,
        });
        self.next_id
    }

    /// Adds a row for an entry of the queue file (left unfinished, or another mp4u's), in
    /// `state`; returns its id.
    /// Adds a file of a directory upload in state Queued, under the name its plan gave it.
    pub fn push_local(
        &mut self,
        file: &crate::sync::LocalFile,
        fld_id: u64,
        folder_path: &str,
    ) -> &mut Upload {
        self.push(
            file.path.clone(),
            file.size,
            fld_id,
            folder_path.into(),
            None,
        );
        let row = self.items.last_mut().expect("pushed last");
        row.name = file.name.clone();
        row
    }

    pub fn push_entry(&mut self, entry: crate::queue::Entry, state: UploadState) -> u64 {
        let id = self.push(
            entry.path.clone(),
            entry.size,
            entry.folder,
            entry.folder_label(),
            None,
        );
        if let Some(upload) = self.get_mut(id) {
            upload.name = entry.name.clone();
            upload.state = state;
            upload.entry = Some(entry);
        }
        id
    }

    pub fn get(&self, id: u64) -> Option<&Upload> {
        self.items.iter().find(|u| u.id == id)
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut Upload> {
        self.items.iter_mut().find(|u| u.id == id)
    }

    /// Records progress; old samples leave the speed window.
    pub fn progress(&mut self, id: u64, sent: u64, at: Instant) {
        let Some(upload) = self.get_mut(id) else {
            return;
        };
        if !upload.state.is_active() {
            return; // a late report for a cancelled upload
        }
        if upload.state != UploadState::Running {
            return; // a late report for an upload that is no longer sending
        }
        upload.sent = sent.min(upload.size);
        upload.samples.push_back((at, upload.sent));
        while upload
            .samples
            .front()
            .is_some_and(|(t, _)| at.duration_since(*t) > SPEED_WINDOW)
            && upload.samples.len() > 2
        {
            upload.samples.pop_front();
        }
    }

    /// Back to Queued for another attempt from the first byte.
    pub fn reset(&mut self, id: u64) {
        if let Some(upload) = self.get_mut(id) {
            upload.state = UploadState::Queued;
            upload.sent = 0;
            upload.samples.clear();
        }
    }

    pub fn active(&self) -> impl Iterator<Item = &Upload> {
        self.items.iter().filter(|u| u.state.is_active())
    }

    /// How many uploads are in a state `state` says yes to.
    pub fn count(&self, state: fn(&UploadState) -> bool) -> usize {
        self.items.iter().filter(|u| state(&u.state)).count()
    }

    pub fn any_active(&self) -> bool {
        self.active().next().is_some()
    }

    /// The queued uploads to start now, oldest first, so that no more than `slots` run at once:
    /// those written to the queue file and checked for a file of the same name and size.
    pub fn to_start(&self, slots: usize) -> Vec<u64> {
        let running = self.items.iter().filter(|u| u.state.holds_slot()).count();
        self.items
            .iter()
            .filter(|u| u.state == UploadState::Queued && u.entry.is_some())
            .filter(|u| u.dup == DupCheck::Passed)
            .take(slots.saturating_sub(running))
            .map(|u| u.id)
            .collect()
    }

    /// (bytes sent, bytes in all) over the uploads still to finish, plus those done.
    /// (bytes arrived, bytes in all) over the uploads meant to arrive: those cancelled or
    /// refused before sending are left out; a failed or unknown one counts in all and not as
    /// arrived, so the total never says 100% while an upload failed.
    pub fn totals(&self) -> (u64, u64) {
        self.items
            .iter()
            .filter(|u| {
                !matches!(
                    u.state,
                    UploadState::Cancelled
                        | UploadState::Refused(_)
                        | UploadState::Paused { .. }
                        | UploadState::Elsewhere { .. }
                        | UploadState::Skipped { .. }
                        | UploadState::Duplicate { .. }
                )
            })
            .fold((0, 0), |(sent, all), u| {
                let arrived = match u.state {
                    UploadState::Done { .. } => u.size,
                    UploadState::Failed(_) | UploadState::Unknown { .. } => 0,
                    _ => u.sent,
                };
                (sent + arrived, all + u.size)
            })
    }

    /// Adds a file refused before sending, with the reason.
    pub fn push_refused(
        &mut self,
        path: PathBuf,
        fld_id: u64,
        folder_path: String,
        reason: String,
    ) {
        let id = self.push(path, 0, fld_id, folder_path, None);
        if let Some(upload) = self.get_mut(id) {
            upload.state = UploadState::Refused(reason);
        }
    }

    /// Uploads that failed or whose end is unknown.
    pub fn troubled(&self) -> usize {
        self.items
            .iter()
            .filter(|u| {
                matches!(
                    u.state,
                    UploadState::Failed(_) | UploadState::Unknown { .. }
                )
            })
            .count()
    }

    /// `2 sending, 41%` for the account line, while anything runs.
    pub fn summary(&self) -> Option<String> {
        let running = self.active().count();
        if running == 0 {
            return None;
        }
        let (sent, all) = self
            .active()
            .fold((0u64, 0u64), |(s, a), u| (s + u.sent, a + u.size));
        let percent = (sent * 100).checked_div(all).unwrap_or(0);
        Some(format!("{running} sending, {percent}%"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_is_a_moving_average() {
        let mut q = UploadQueue::default();
        let id = q.push("/tmp/a.mp4".into(), 100_000_000, 0, "/".into(), None);
        q.get_mut(id).unwrap().state = UploadState::Running;
        let t0 = Instant::now();
        // Slow start: 1 MB/s for 5 s, then 10 MB/s.
        for s in 0..=5 {
            q.progress(id, s * 1_000_000, t0 + Duration::from_secs(s));
        }
        for s in 1..=3 {
            q.progress(
                id,
                5_000_000 + s * 10_000_000,
                t0 + Duration::from_secs(5 + s),
            );
        }
        let speed = q.get(id).unwrap().speed().unwrap();
        assert!((speed - 10_000_000.0).abs() < 1.0, "{speed}");
        assert_eq!(q.get(id).unwrap().eta(), Some(7));
        assert_eq!(q.summary().as_deref(), Some("1 sending, 35%"));
    }

    /// Written to the queue file and checked: ready to start.
    fn ready(q: &mut UploadQueue, id: u64) {
        let upload = q.get_mut(id).unwrap();
        upload.entry = Some(crate::queue::Entry {
            id,
            path: upload.path.clone(),
            name: upload.name.clone(),
            size: upload.size,
            mtime: None,
            folder: upload.fld_id,
            folder_path: None,
            account: "test".into(),
            server: "test".into(),
            allow_duplicate: false,
            added_at: 0,
            changed_at: 0,
            owner: None,
            hook: None,
            state: crate::queue::State::Queued,
        });
        upload.dup = DupCheck::Passed;
    }

    #[test]
    fn uploads_start_in_the_order_they_were_queued() {
        let mut q = UploadQueue::default();
        let ids: Vec<u64> = (0..5)
            .map(|i| q.push(format!("/tmp/{i}.mp4").into(), 10, 0, "/".into(), None))
            .collect();
        assert!(
            q.to_start(2).is_empty(),
            "nothing starts before the queue file has it"
        );
        ready(&mut q, ids[1]);
        assert_eq!(q.to_start(2), [ids[1]], "nor before the duplicate check");
        for &id in &ids {
            ready(&mut q, id);
        }
        assert_eq!(q.to_start(2), ids[..2]);
        q.get_mut(ids[0]).unwrap().state = UploadState::Running;
        q.get_mut(ids[1]).unwrap().state = UploadState::Running;
        assert!(q.to_start(2).is_empty());
        q.get_mut(ids[0]).unwrap().state = UploadState::Failed("x".into());
        assert_eq!(q.to_start(2), [ids[2]]);
    }

    #[test]
    fn the_total_never_says_all_while_an_upload_failed() {
        let mut q = UploadQueue::default();
        let done = q.push("/tmp/a.mp4".into(), 100, 0, "/".into(), None);
        let failed = q.push("/tmp/b.mp4".into(), 100, 0, "/".into(), None);
        q.get_mut(done).unwrap().state = UploadState::Done {
            code: "c".into(),
            url: "u".into(),
            placement: Placement::InFolder { fld_id: 0 },
            moving: false,
        };
        q.get_mut(failed).unwrap().sent = 100;
        q.get_mut(failed).unwrap().state = UploadState::Failed("cut".into());
        assert_eq!(q.totals(), (100, 200));
        q.push_refused("/tmp/c.mp4".into(), 0, "/".into(), "is empty".into());
        assert_eq!(q.totals(), (100, 200), "refused files send nothing");
        assert_eq!(q.troubled(), 1);
    }

    #[test]
    fn late_progress_after_cancel_is_ignored() {
        let mut q = UploadQueue::default();
        let id = q.push("/tmp/a.mp4".into(), 10, 0, "/".into(), None);
        q.get_mut(id).unwrap().state = UploadState::Cancelled;
        q.progress(id, 5, Instant::now());
        assert_eq!(q.get(id).unwrap().state, UploadState::Cancelled);
        assert!(q.summary().is_none());
    }
}
