//! The keys in effect: the default tables with the config file's `[keys]` table over them,
//! built once at start. The key handling, the key bar, the help and `mp4u keys` all read it.
//!
//! Rules, as docs/configuration.md states them:
//! - a user's binding replaces the default keys of that action in every context that has the
//!   action; every other action keeps its defaults;
//! - where text is typed (a name, a filter, a path), a plain character of a user's binding is
//!   left out, so that it still types; with nothing left, the defaults stay there;
//! - a key then bound to two actions of one context is reported, naming both: the user's
//!   binding keeps it over a default, and of two of the user's, the one listed first in the
//!   context's table;
//! - `suspend` (Ctrl-Z) cannot be moved, and Ctrl-C and Ctrl-Z cannot be bound.

use crossterm::event::KeyEvent;

use super::{Action, Binding, CONTEXTS, Key, KeyContext, Scope};

/// One row of a table in effect: the default binding (its action, bar word and help) and the
/// keys it has now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRow {
    pub binding: &'static Binding,
    pub keys: Vec<Key>,
    /// The keys come from the config file.
    pub user: bool,
}

impl KeyRow {
    pub fn action(&self) -> Action {
        self.binding.action
    }

    /// All keys as the help shows them: `r, F2`; `—` when a clash took every key away.
    pub fn keys_label(&self) -> String {
        if self.keys.is_empty() {
            return "—".into();
        }
        self.keys
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A context's table in effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyTable {
    pub context: &'static KeyContext,
    pub rows: Vec<KeyRow>,
}

/// Every context's table in effect, in the order of [`CONTEXTS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    tables: Vec<KeyTable>,
}

impl Default for Keymap {
    /// The default tables.
    fn default() -> Keymap {
        Keymap::build(&[], &mut Vec::new())
    }
}

impl Keymap {
    /// The keymap of the config file's `[keys]` table (`None`: no table), and a sentence for
    /// each thing wrong in it or each clash it makes.
    pub fn from_config(table: Option<&toml::Value>) -> (Keymap, Vec<String>) {
        let mut problems = Vec::new();
        let chosen = read_table(table, &mut problems);
        let keymap = Keymap::build(&chosen, &mut problems);
        (keymap, problems)
    }

    fn build(chosen: &[(Action, Vec<Key>)], problems: &mut Vec<String>) -> Keymap {
        let mut clashes: Vec<Clash> = Vec::new();
        let tables = CONTEXTS
            .iter()
            .map(|context| {
                let mut rows: Vec<KeyRow> = context
                    .table
                    .iter()
                    .map(|binding| row(context, binding, chosen))
                    .collect();
                settle_clashes(context, &mut rows, &mut clashes);
                KeyTable { context, rows }
            })
            .collect();
        problems.extend(clashes.iter().map(Clash::sentence));
        Keymap { tables }
    }

    /// Every context's table, in the order of the help.
    pub fn tables(&self) -> &[KeyTable] {
        &self.tables
    }

    /// The table of a scope.
    pub fn table(&self, scope: Scope) -> &KeyTable {
        self.tables
            .iter()
            .find(|t| t.context.scope == scope)
            .unwrap_or(&self.tables[0])
    }

    /// The action a key event means in a scope, if any.
    pub fn action_for(&self, scope: Scope, event: &KeyEvent) -> Option<Action> {
        self.table(scope)
            .rows
            .iter()
            .find(|row| row.keys.iter().any(|k| k.matches(event)))
            .map(KeyRow::action)
    }

    /// The first key of an action in a scope, as the screen names it (`Ctrl-R`), for a
    /// sentence that tells which key to press; the action's name if it has no key there.
    pub fn key_label(&self, scope: Scope, action: Action) -> String {
        self.table(scope)
            .rows
            .iter()
            .find(|row| row.action() == action)
            .and_then(|row| row.keys.first())
            .map_or_else(|| action.name().to_string(), |k| k.label())
    }

    /// The key bar's entries of a scope: (first key, word, action) of each row with a word.
    pub fn bar_entries(&self, scope: Scope) -> Vec<(String, &'static str, Action)> {
        self.table(scope)
            .rows
            .iter()
            .filter(|row| !row.binding.bar.is_empty())
            .filter_map(|row| Some((row.keys.first()?.label(), row.binding.bar, row.action())))
            .collect()
    }
}

/// A binding's row in a context: the user's keys (less plain characters where text is typed),
/// else the defaults.
fn row(context: &KeyContext, binding: &'static Binding, chosen: &[(Action, Vec<Key>)]) -> KeyRow {
    let user = chosen
        .iter()
        .find(|(action, _)| *action == binding.action)
        .map(|(_, keys)| {
            keys.iter()
                .copied()
                .filter(|k| !(context.types_text && matches!(k, Key::Char(_))))
                .collect::<Vec<_>>()
        })
        .filter(|keys| !keys.is_empty());
    match user {
        Some(keys) => KeyRow {
            binding,
            keys,
            user: true,
        },
        None => KeyRow {
            binding,
            keys: binding.keys.to_vec(),
            user: false,
        },
    }
}

/// A key bound to two actions: which keeps it, and where.
#[derive(Debug, PartialEq)]
struct Clash {
    key: Key,
    first: Action,
    second: Action,
    keeper: Action,
    /// The other action has no key left.
    emptied: bool,
    contexts: Vec<&'static str>,
}

impl Clash {
    fn sentence(&self) -> String {
        let loser = if self.keeper == self.first {
            self.second
        } else {
            self.first
        };
        let mut said = format!(
            "[keys] {} is bound to both {} and {} in {}: {} keeps it",
            self.key.name(),
            self.first.name(),
            self.second.name(),
            self.contexts.join(", "),
            self.keeper.name(),
        );
        if self.emptied {
            said.push_str(&format!(" and {} is left without a key", loser.name()));
        }
        said
    }
}

/// Takes each key bound twice from the row that loses it, and notes the clash (once for every
/// context where the same two actions clash the same way).
fn settle_clashes(context: &'static KeyContext, rows: &mut [KeyRow], clashes: &mut Vec<Clash>) {
    for i in 0..rows.len() {
        for j in i + 1..rows.len() {
            // The default tables hold no clash (a test says so): only a user's binding makes one.
            if !(rows[i].user || rows[j].user) {
                continue;
            }
            let shared: Vec<Key> = rows[i]
                .keys
                .iter()
                .copied()
                .filter(|k| rows[j].keys.contains(k))
                .collect();
            for key in shared {
                let (keeper, loser) = if rows[j].user && !rows[i].user {
                    (j, i)
                } else {
                    (i, j)
                };
                rows[loser].keys.retain(|k| *k != key);
                let clash = Clash {
                    key,
                    first: rows[i].action(),
                    second: rows[j].action(),
                    keeper: rows[keeper].action(),
                    emptied: rows[loser].keys.is_empty(),
                    contexts: vec![context.title],
                };
                match clashes.iter_mut().find(|c| {
                    (c.key, c.first, c.second, c.keeper, c.emptied)
                        == (
                            clash.key,
                            clash.first,
                            clash.second,
                            clash.keeper,
                            clash.emptied,
                        )
                }) {
                    Some(same) => same.contexts.push(context.title),
                    None => clashes.push(clash),
                }
            }
        }
    }
}

/// The user's bindings from the `[keys]` table: (action, keys), each wrong entry reported.
fn read_table(table: Option<&toml::Value>, problems: &mut Vec<String>) -> Vec<(Action, Vec<Key>)> {
    let Some(table) = table else {
        return Vec::new();
    };
    let Some(table) = table.as_table() else {
        problems
            .push("[keys] should be a table: a line [keys], then lines like rename = \"R\"".into());
        return Vec::new();
    };
    let mut chosen = Vec::new();
    for (name, value) in table {
        let Some(action) = Action::from_name(name) else {
            problems.push(format!(
                "[keys] has no action {name:?}{}; ignored (`mp4u keys` lists the actions)",
                suggestion(name)
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default()
            ));
            continue;
        };
        if action == Action::Suspend {
            problems.push("[keys] suspend stays Ctrl-Z: it cannot be moved; ignored".into());
            continue;
        }
        let items: Vec<&toml::Value> = match value {
            toml::Value::String(_) => vec![value],
            toml::Value::Array(items) => items.iter().collect(),
            other => {
                problems.push(format!(
                    "[keys] {name} = {other}: give a key (\"R\") or a list of keys ([\"u\", \"F8\"]); \
                     its default keys stay"
                ));
                continue;
            }
        };
        let mut keys = Vec::new();
        let mut wrong = false;
        for item in items {
            match item.as_str().map(Key::parse) {
                Some(Ok(key)) if !keys.contains(&key) => keys.push(key),
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    wrong = true;
                    problems.push(format!("[keys] {name}: {e}"));
                }
                None => {
                    wrong = true;
                    problems.push(format!(
                        "[keys] {name}: {item} is not a key (give it in quotes)"
                    ));
                }
            }
        }
        match (keys.is_empty(), wrong) {
            (false, _) => chosen.push((action, keys)),
            (true, true) => problems.push(format!("[keys] {name}: its default keys stay")),
            (true, false) => problems.push(format!(
                "[keys] {name} = []: give at least one key; its default keys stay"
            )),
        }
    }
    chosen
}

/// The action name nearest to a misspelt one, if one is near (two edits at most).
fn suggestion(name: &str) -> Option<&'static str> {
    crate::format::nearest(name, Action::ALL.iter().map(|a| a.name()))
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;

    fn keymap(text: &str) -> (Keymap, Vec<String>) {
        let doc: toml::Table = toml::from_str(text).expect("TOML");
        Keymap::from_config(doc.get("keys"))
    }

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// A keymap its text sets without a problem.
    fn clean_keymap(text: &str) -> Keymap {
        let (keymap, problems) = keymap(text);
        assert!(problems.is_empty(), "{problems:?}");
        keymap
    }

    /// `action` has these keys in `scope`, in this order.
    fn has_keys(keymap: &Keymap, scope: Scope, action: Action, keys: &[Key]) {
        let row = keymap
            .table(scope)
            .rows
            .iter()
            .find(|r| r.action() == action);
        let row = row.unwrap_or_else(|| panic!("{action:?} not in {scope:?}"));
        assert_eq!(row.keys, keys, "{action:?} in {scope:?}");
    }

    #[test]
    fn no_table_is_the_default_tables() {
        let (keymap, problems) = keymap("");
        assert!(problems.is_empty());
        assert_eq!(keymap, Keymap::default());
        for (table, context) in keymap.tables().iter().zip(CONTEXTS) {
            assert_eq!(table.context.title, context.title);
            for (row, binding) in table.rows.iter().zip(context.table) {
                assert_eq!(row.keys, binding.keys);
                assert!(!row.user);
            }
        }
    }

    #[test]
    fn a_binding_replaces_the_defaults_of_its_action_only() {
        let keymap = clean_keymap("[keys]\nrename = \"R\"\nupload = [\"u\", \"F8\"]\n");
        has_keys(&keymap, Scope::Browser, Action::Rename, &[Key::Char('R')]);
        assert_eq!(
            keymap.action_for(Scope::Browser, &press('R')),
            Some(Action::Rename)
        );
        assert_eq!(keymap.action_for(Scope::Browser, &press('r')), None);
        let f2 = KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE);
        assert_eq!(keymap.action_for(Scope::Browser, &f2), None);
        // In every context that has the action.
        for scope in [Scope::Browser, Scope::Transfers] {
            has_keys(&keymap, scope, Action::Upload, &[Key::Char('u'), Key::F(8)]);
        }
        // The others keep theirs.
        has_keys(
            &keymap,
            Scope::Browser,
            Action::NewFolder,
            &[Key::F(7), Key::Char('n')],
        );
        let bar = keymap.bar_entries(Scope::Browser);
        assert!(
            bar.contains(&("R".into(), "Rename", Action::Rename)),
            "{bar:?}"
        );
        assert!(bar.contains(&("F7".into(), "NewFolder", Action::NewFolder)));
    }

    #[test]
    fn a_key_bound_twice_is_reported_with_both_actions() {
        let (keymap, problems) = keymap("[keys]\nrename = \"n\"\n");
        assert_eq!(
            problems,
            ["[keys] n is bound to both rename and new_folder in Browser: rename keeps it"]
        );
        assert_eq!(
            keymap.action_for(Scope::Browser, &press('n')),
            Some(Action::Rename)
        );
        has_keys(&keymap, Scope::Browser, Action::NewFolder, &[Key::F(7)]);
    }

    #[test]
    fn of_two_user_bindings_the_first_in_the_table_keeps_the_key() {
        let (keymap, problems) = keymap("[keys]\nclone = \"x\"\nrename = \"x\"\n");
        assert_eq!(
            problems,
            [
                "[keys] x is bound to both rename and clone in Browser: rename keeps it \
              and clone is left without a key"
            ]
        );
        assert_eq!(
            keymap.action_for(Scope::Browser, &press('x')),
            Some(Action::Rename)
        );
        let clone = keymap
            .table(Scope::Browser)
            .rows
            .iter()
            .find(|r| r.action() == Action::Clone)
            .expect("clone");
        assert_eq!(clone.keys_label(), "—");
        assert!(
            !keymap
                .bar_entries(Scope::Browser)
                .iter()
                .any(|(_, w, _)| *w == "Clone")
        );
    }

    #[test]
    fn the_same_clash_in_several_contexts_is_one_sentence() {
        let (_, problems) = keymap("[keys]\nup = \"j\"\n");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        let said = &problems[0];
        assert!(
            said.starts_with("[keys] j is bound to both up and down in Browser, Sort menu,"),
            "{said}"
        );
        assert!(said.ends_with(": up keeps it"), "{said}");
    }

    #[test]
    fn where_text_is_typed_letters_still_type() {
        let keymap = clean_keymap("[keys]\nconfirm = \"y\"\nclose = [\"z\", \"F9\"]\n");
        has_keys(&keymap, Scope::Question, Action::Confirm, &[Key::Char('y')]);
        // The rename popup: `y` types; Enter stays.
        has_keys(&keymap, Scope::NameInput, Action::Confirm, &[Key::Enter]);
        assert_eq!(keymap.action_for(Scope::NameInput, &press('y')), None);
        // Of `close`, F9 counts there, `z` does not.
        has_keys(&keymap, Scope::NameInput, Action::Close, &[Key::F(9)]);
        has_keys(
            &keymap,
            Scope::Stats,
            Action::Close,
            &[Key::Char('z'), Key::F(9)],
        );
    }

    #[test]
    fn wrong_entries_are_reported_and_the_defaults_stay() {
        let (keymap, problems) = keymap(
            "[keys]\nrenmae = \"R\"\nclone = \"ctrl-\"\nmove = 5\nnew_folder = []\n\
             suspend = \"x\"\nquit = \"ctrl-c\"\nupload = [\"U\", 7]\nwhatever = \"q\"\n",
        );
        let all = problems.join("\n");
        for said in [
            "no action \"renmae\" (did you mean rename?)",
            "clone: \"ctrl-\" is not a key",
            "clone: its default keys stay",
            "move = 5: give a key",
            "new_folder = []: give at least one key",
            "suspend stays Ctrl-Z",
            "quit: \"ctrl-c\" cannot be bound",
            "upload: 7 is not a key",
            "no action \"whatever\"; ignored",
        ] {
            assert!(all.contains(said), "{said:?} not in:\n{all}");
        }
        assert_eq!(problems.len(), 10, "{all}");
        has_keys(
            &keymap,
            Scope::Browser,
            Action::Rename,
            &[Key::F(2), Key::Char('r')],
        );
        has_keys(
            &keymap,
            Scope::Browser,
            Action::Clone,
            &[Key::F(5), Key::Char('c')],
        );
        has_keys(
            &keymap,
            Scope::Browser,
            Action::Quit,
            &[Key::Char('q'), Key::F(10)],
        );
        // What was right in a list counts.
        has_keys(&keymap, Scope::Browser, Action::Upload, &[Key::Char('U')]);
        let (_, problems) = Keymap::from_config(Some(&toml::Value::from("R")));
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn near_names_are_suggested() {
        assert_eq!(suggestion("renmae"), Some("rename"));
        assert_eq!(suggestion("newfolder"), Some("new_folder"));
        assert_eq!(suggestion("zzzzzz"), None);
        assert_eq!(crate::format::edit_distance("kitten", "sitting"), 3);
    }
}
