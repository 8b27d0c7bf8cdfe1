use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

fn keymap(text: &str) -> (Keymap, Vec<String>) {
    let doc: toml::Table = toml::from_str(text).expect("TOML");
    Keymap::from_config(doc.get("keys"))
}

fn press(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn keys_of(keymap: &Keymap, scope: Scope, action: Action) -> Vec<Key> {
    keymap
        .table(scope)
        .rows
        .iter()
        .find(|r| r.action() == action)
        .map(|r| r.keys.clone())
        .unwrap_or_else(|| panic!("{action:?} not in {scope:?}"))
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
    let (keymap, problems) = keymap("[keys]\nrename = \"R\"\nupload = [\"u\", \"F8\"]\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        keys_of(&keymap, Scope::Browser, Action::Rename),
        [Key::Char('R')]
    );
    assert_eq!(
        keymap.action_for(Scope::Browser, &press('R')),
        Some(Action::Rename)
    );
    assert_eq!(keymap.action_for(Scope::Browser, &press('r')), None);
    let f2 = KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE);
    assert_eq!(keymap.action_for(Scope::Browser, &f2), None);
    // In every context that has the action.
    for scope in [Scope::Browser, Scope::Transfers] {
        assert_eq!(
            keys_of(&keymap, scope, Action::Upload),
            [Key::Char('u'), Key::F(8)]
        );
    }
    // The others keep theirs.
    assert_eq!(
        keys_of(&keymap, Scope::Browser, Action::NewFolder),
        [Key::F(7), Key::Char('n')]
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
    assert_eq!(
        keys_of(&keymap, Scope::Browser, Action::NewFolder),
        [Key::F(7)]
    );
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
    let (keymap, problems) = keymap("[keys]\nconfirm = \"y\"\nclose = [\"z\", \"F9\"]\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        keys_of(&keymap, Scope::Question, Action::Confirm),
        [Key::Char('y')]
    );
    // The rename popup: `y` types; Enter stays.
    assert_eq!(
        keys_of(&keymap, Scope::NameInput, Action::Confirm),
        [Key::Enter]
    );
    assert_eq!(keymap.action_for(Scope::NameInput, &press('y')), None);
    // Of `close`, F9 counts there, `z` does not.
    assert_eq!(
        keys_of(&keymap, Scope::NameInput, Action::Close),
        [Key::F(9)]
    );
    assert_eq!(
        keys_of(&keymap, Scope::Stats, Action::Close),
        [Key::Char('z'), Key::F(9)]
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
    assert_eq!(
        keys_of(&keymap, Scope::Browser, Action::Rename),
        [Key::F(2), Key::Char('r')]
    );
    assert_eq!(
        keys_of(&keymap, Scope::Browser, Action::Clone),
        [Key::F(5), Key::Char('c')]
    );
    assert_eq!(
        keys_of(&keymap, Scope::Browser, Action::Quit),
        [Key::Char('q'), Key::F(10)]
    );
    // What was right in a list counts.
    assert_eq!(
        keys_of(&keymap, Scope::Browser, Action::Upload),
        [Key::Char('U')]
    );
    let (_, problems) = Keymap::from_config(Some(&toml::Value::from("R")));
    assert_eq!(problems.len(), 1);
}

#[test]
fn near_names_are_suggested() {
    assert_eq!(suggestion("renmae"), Some("rename"));
    assert_eq!(suggestion("newfolder"), Some("new_folder"));
    assert_eq!(suggestion("zzzzzz"), None);
    assert_eq!(edits("kitten", "sitting"), 3);
}
