//! `mp4u queue`: the upload queue as a table or JSON; `--clear-done` and `--remove` tidy it.
//! A local file only: no key, no network.

use clap::Args;
use serde_json::Value;

use super::Failure;
use super::table::Table;
use crate::queue::{Entry, Queue, State};

#[derive(Debug, Args)]
pub struct QueueArgs {
    /// Remove the finished uploads (they also leave by themselves a day after they finished)
    #[arg(long, conflicts_with = "remove")]
    clear_done: bool,
    /// Remove these entries (by the ID the list shows), whatever their state, unless another
    /// mp4u is sending them
    #[arg(long, value_name = "ID", num_args = 1..)]
    remove: Vec<u64>,
}

pub fn run(args: &QueueArgs, demo: bool, profile: Option<&str>, json: bool) -> Result<(), Failure> {
    let Some(dir) = crate::queue::default_dir(demo, profile) else {
        return Err(Failure::Api(
            "no state directory is known (no home directory); set MP4U_STATE_DIR".into(),
        ));
    };
    let queue = Queue::open(&dir).map_err(|e| Failure::Api(e.to_string()))?;
    let result = if args.clear_done {
        let removed = queue
            .clear_done()
            .map_err(|e| Failure::Api(e.to_string()))?;
        print(
            json,
            &serde_json::json!({ "removed": removed }),
            format!(
                "removed {} from the queue\n",
                crate::format::plural(removed, "finished upload")
            ),
        );
        Ok(())
    } else if !args.remove.is_empty() {
        remove(&queue, &args.remove, json)
    } else {
        list(&queue, json)
    };
    super::send::say_notices(&queue);
    result
}

fn print(json: bool, value: &Value, text: String) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into())
        );
    } else {
        print!("{text}");
    }
}

fn remove(queue: &Queue, ids: &[u64], json: bool) -> Result<(), Failure> {
    let known: Vec<u64> = queue
        .entries()
        .map_err(|e| Failure::Api(e.to_string()))?
        .iter()
        .map(|e| e.id)
        .collect();
    let removed = queue.remove(ids).map_err(|e| Failure::Api(e.to_string()))?;
    print(
        json,
        &serde_json::json!({ "removed": removed }),
        removed
            .iter()
            .map(|id| format!("removed upload {id} from the queue\n"))
            .collect(),
    );
    let (missing, busy): (Vec<u64>, Vec<u64>) = ids
        .iter()
        .copied()
        .filter(|id| !removed.contains(id))
        .partition(|id| !known.contains(id));
    for id in &busy {
        eprintln!("mp4u: upload {id} is being sent by another mp4u; left to it");
    }
    if !missing.is_empty() {
        // An ID the list does not show: the command was asked wrong.
        let list: Vec<String> = missing.iter().map(u64::to_string).collect();
        return Err(Failure::Usage(format!(
            "upload {} is not in the queue (`mp4u queue` lists the IDs)",
            list.join(", ")
        )));
    }
    if busy.is_empty() {
        return Ok(());
    }
    Err(Failure::Api(format!(
        "{} not removed",
        crate::format::plural(busy.len(), "upload")
    )))
}

/// An entry as `--json` prints it: the file's fields, without the account's fingerprint and
/// the owner's token; `active` when a running mp4u works on it.
fn entry_json(entry: &Entry, active: bool) -> Value {
    let mut value = serde_json::to_value(entry).unwrap_or(Value::Null);
    if let Some(map) = value.as_object_mut() {
        map.remove("account");
        map.remove("owner");
        map.insert("active".into(), Value::Bool(active));
    }
    value
}

/// What the last column of the table says: the link, or why not.
fn detail(entry: &Entry, active: bool) -> String {
    let by = || match entry.owner_pid() {
        Some(pid) => format!("process {pid}"),
        None => "another mp4u".into(),
    };
    match &entry.state {
        State::Queued if active => "waiting its turn".into(),
        State::Sending { .. } if active => format!("by {}", by()),
        State::Sent { .. } if active => format!("every byte sent, awaiting the reply ({})", by()),
        State::NotMoved { url, .. } if active => format!("{url}: being moved ({})", by()),
        State::Unknown { .. } if active => format!("being looked for ({})", by()),
        State::Done { .. } | State::Failed { .. } => entry.left_note(),
        _ => format!("{}; `mp4u upload --resume`", entry.left_note()),
    }
}

fn list(queue: &Queue, json: bool) -> Result<(), Failure> {
    let entries = queue.entries().map_err(|e| Failure::Api(e.to_string()))?;
    let active: Vec<bool> = entries.iter().map(|e| queue.is_active(e)).collect();
    if json {
        let items: Vec<Value> = entries
            .iter()
            .zip(&active)
            .map(|(e, a)| entry_json(e, *a))
            .collect();
        print(true, &Value::Array(items), String::new());
        return Ok(());
    }
    if entries.is_empty() {
        let file = queue
            .file()
            .map(|f| format!(" ({})", f.display()))
            .unwrap_or_default();
        println!("the upload queue is empty{file}");
        return Ok(());
    }
    let mut table = Table::new(">ID STATE >SIZE FILE FOLDER DETAIL");
    for (entry, active) in entries.iter().zip(&active) {
        table.row(vec![
            entry.id.to_string(),
            entry.state.label().into(),
            crate::format::size(entry.size),
            entry.path.display().to_string(),
            entry.folder_label(),
            detail(entry, *active),
        ]);
    }
    print!("{}", table.render());
    let waiting = entries
        .iter()
        .zip(&active)
        .filter(|(e, a)| !e.state.is_done() && !**a)
        .count();
    if waiting > 0 {
        eprintln!(
            "mp4u: {} unfinished: `mp4u upload --resume` resumes {}",
            crate::format::plural(waiting, "upload"),
            if waiting == 1 { "it" } else { "them" }
        );
    }
    Ok(())
}
