//! `--exec CMD`: a command run after each finished upload (in its folder), through the shell,
//! with the file in its environment (`MP4U_CODE`, `MP4U_NAME`, `MP4U_LINK`, `MP4U_EMBED`,
//! `MP4U_FOLDER`, `MP4U_FOLDER_ID`, `MP4U_PATH`, `MP4U_SIZE`) and as one JSON object (the same
//! fields) on its standard input.
//!
//! The command is kept with the queue entry when the file is queued, and the entry is marked
//! before the command starts: no upload runs it twice, whichever process takes the entry up
//! or resumes it. A command that fails or does not end in time is said and stopped; the
//! upload stays done, and other uploads never wait for it.

use std::process::Stdio;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::task::JoinHandle;

use crate::queue::{Entry, Queue};

/// How long a hook may run before it is stopped (`--exec-timeout`'s default).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The file a hook is run for: its environment and its standard input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookFile {
    pub code: String,
    pub name: String,
    pub link: String,
    pub embed: String,
    /// The folder's path on the account (`/Anime/Frieren`).
    pub folder: String,
    pub folder_id: u64,
    /// The local file.
    pub path: String,
    pub size: u64,
}

impl HookFile {
    /// The file of a done entry, on the server at `base_url`.
    pub fn of(entry: &Entry, code: &str, base_url: &str) -> HookFile {
        HookFile {
            code: code.to_string(),
            name: entry.name.clone(),
            link: crate::api::file_link(base_url, code),
            embed: crate::links::embed_link(base_url, code),
            folder: entry.folder_label(),
            folder_id: entry.folder,
            path: entry.path.display().to_string(),
            size: entry.size,
        }
    }

    /// The variables the command finds the file in.
    pub fn env(&self) -> [(&'static str, String); 8] {
        [
            ("MP4U_CODE", self.code.clone()),
            ("MP4U_NAME", self.name.clone()),
            ("MP4U_LINK", self.link.clone()),
            ("MP4U_EMBED", self.embed.clone()),
            ("MP4U_FOLDER", self.folder.clone()),
            ("MP4U_FOLDER_ID", self.folder_id.to_string()),
            ("MP4U_PATH", self.path.clone()),
            ("MP4U_SIZE", self.size.to_string()),
        ]
    }
}

/// How a hook ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// It ran and exited 0.
    Ran,
    /// It failed, did not end in time, or could not start: why.
    Failed(String),
    /// It began before (here or in another process), or the entry has none: not run.
    NotOwed,
}

/// Runs `command` for `file` through `sh -c`, stopped after `timeout`: how it ended (with the
/// last line of its error output, for a failure).
pub async fn run_command(command: &str, file: &HookFile, timeout: Duration) -> Ended {
    let mut child = match tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .envs(file.env())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return Ended::Failed(format!("could not start: {e}")),
    };
    let json = serde_json::to_string(file).unwrap_or_else(|_| "{}".into());
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its input is no failure.
        let _ = stdin.write_all(format!("{json}\n").as_bytes()).await;
    }
    // Its error output is read beside it; a command that leaves a process of its own holding
    // it open still ends when it exits.
    let said = Arc::new(Mutex::new(Vec::new()));
    let reader = child.stderr.take().map(|mut err| {
        let said = said.clone();
        tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = err.read(&mut buf).await {
                let mut said = said.lock().unwrap_or_else(|e| e.into_inner());
                if said.len() < 64 * 1024 {
                    said.extend_from_slice(&buf[..n]);
                }
            }
        })
    });
    let ended = tokio::time::timeout(timeout, child.wait()).await;
    if let Some(reader) = reader {
        let _ = tokio::time::timeout(Duration::from_millis(500), reader).await;
    }
    let said = std::mem::take(&mut *said.lock().unwrap_or_else(|e| e.into_inner()));
    match ended {
        Err(_) => {
            let _ = child.start_kill();
            Ended::Failed(format!(
                "did not end within {}; stopped",
                crate::format::seconds(timeout)
            ))
        }
        Ok(Err(e)) => Ended::Failed(format!("could not wait for it: {e}")),
        Ok(Ok(status)) if status.success() => Ended::Ran,
        Ok(Ok(status)) => {
            let said = String::from_utf8_lossy(&said);
            let last = said.lines().rev().find(|l| !l.trim().is_empty());
            let how = match status.code() {
                Some(code) => format!("exit status {code}"),
                None => "killed by a signal".to_string(),
            };
            Ended::Failed(match last {
                Some(line) => format!("{how}: {}", line.trim()),
                None => how,
            })
        }
    }
}

/// Runs the hook of a done entry, once: it is marked begun in the queue first, and how it
/// ended is kept there.
pub async fn run(queue: &Queue, entry: &Entry, file: &HookFile, timeout: Duration) -> Ended {
    let command = match queue.claim_hook(entry.id) {
        Ok(Some(command)) => command,
        Ok(None) => return Ended::NotOwed,
        Err(e) => return Ended::Failed(format!("the queue file: {e}")),
    };
    let ended = run_command(&command, file, timeout).await;
    let record = match &ended {
        Ended::Failed(why) => why.clone(),
        _ => "ok".to_string(),
    };
    // The queue file holds that it began: a failure to write its end changes nothing.
    let _ = queue.end_hook(entry.id, record);
    ended
}

/// The hooks of a run, each in a task of its own so that no upload waits for one: started
/// as uploads finish, waited for at the end.
pub struct Hooks {
    timeout: Duration,
    running: Mutex<Vec<JoinHandle<(String, Ended)>>>,
}

impl Hooks {
    pub fn new(timeout: Duration) -> Hooks {
        Hooks {
            timeout,
            running: Mutex::new(Vec::new()),
        }
    }

    /// Starts the hook of a done entry, if it has one still owed.
    pub fn start(&self, queue: &Arc<Queue>, entry: &Entry, code: &str, base_url: &str) {
        if entry.hook.is_none() {
            return;
        }
        let file = HookFile::of(entry, code, base_url);
        let (queue, entry, timeout) = (queue.clone(), entry.clone(), self.timeout);
        let task = tokio::spawn(async move {
            let ended = run(&queue, &entry, &file, timeout).await;
            (entry.name.clone(), ended)
        });
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(task);
    }

    /// The hooks that ended since the last look, without waiting for the others: the name of
    /// each file whose hook failed, with why.
    pub async fn reap(&self) -> Vec<(String, String)> {
        let ended: Vec<JoinHandle<(String, Ended)>> = {
            let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
            let (ended, still) = std::mem::take(&mut *running)
                .into_iter()
                .partition(|task| task.is_finished());
            *running = still;
            ended
        };
        failures(ended).await
    }

    /// Waits for every hook started; the name of each file whose hook failed, with why.
    pub async fn finish(&self) -> Vec<(String, String)> {
        let tasks = std::mem::take(&mut *self.running.lock().unwrap_or_else(|e| e.into_inner()));
        failures(tasks).await
    }
}

async fn failures(tasks: Vec<JoinHandle<(String, Ended)>>) -> Vec<(String, String)> {
    let mut failed = Vec::new();
    for task in tasks {
        match task.await {
            Ok((name, Ended::Failed(why))) => failed.push((name, why)),
            Ok(_) => {}
            Err(e) => failed.push(("a hook".into(), e.to_string())),
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> HookFile {
        HookFile {
            code: "abc123def456".into(),
            name: "ep 1.mp4".into(),
            link: "https://www.mp4upload.com/abc123def456".into(),
            embed: "https://www.mp4upload.com/embed-abc123def456.html".into(),
            folder: "/Show".into(),
            folder_id: 7,
            path: "/videos/ep 1.mp4".into(),
            size: 1234,
        }
    }

    #[tokio::test]
    async fn the_command_finds_the_file_in_its_environment_and_on_stdin() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let command = format!(
            "printf '%s|%s|%s|%s\\n' \"$MP4U_CODE\" \"$MP4U_NAME\" \"$MP4U_FOLDER_ID\" \"$MP4U_SIZE\" > '{0}'; cat >> '{0}'",
            out.display()
        );
        assert_eq!(
            run_command(&command, &file(), DEFAULT_TIMEOUT).await,
            Ended::Ran
        );
        let said = std::fs::read_to_string(&out).unwrap();
        let (env, json) = said.split_once('\n').unwrap();
        assert_eq!(env, "abc123def456|ep 1.mp4|7|1234");
        let v: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
        assert_eq!(
            v["embed"],
            "https://www.mp4upload.com/embed-abc123def456.html"
        );
        assert_eq!(v["folder"], "/Show");
        assert_eq!(v["size"], 1234);
    }

    #[tokio::test]
    async fn a_failure_says_its_status_and_last_line_and_a_hang_is_stopped() {
        let failed = run_command(
            "echo first >&2; echo 'no route' >&2; exit 3",
            &file(),
            DEFAULT_TIMEOUT,
        )
        .await;
        assert_eq!(failed, Ended::Failed("exit status 3: no route".into()));
        let hung = run_command("sleep 30", &file(), Duration::from_millis(300)).await;
        assert_eq!(
            hung,
            Ended::Failed("did not end within 0.3 s; stopped".into())
        );
    }
}
