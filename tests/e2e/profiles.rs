//! Profiles in the file manager: the profile in use on the account line, `P` lists the
//! config's profiles, Enter opens the file manager again on the other account (its folders,
//! its queue) without a restart.

use crate::common::e2e::{Run, Setup};
use crate::common::pty::{DOWN, ENTER};
use mp4u::sandbox::{Sandbox, SandboxConfig};

#[test]
fn p_switches_to_another_profile_without_a_restart() {
    // A second account, on a sandbox of its own: one folder, no demo library.
    let rt = crate::common::runtime();
    let site = rt
        .block_on(Sandbox::start(SandboxConfig {
            demo_data: false,
            ..SandboxConfig::default()
        }))
        .expect("the second sandbox");
    site.state().create_folder(0, "Incoming").unwrap();
    let (site_url, site_key) = (site.base_url(), site.key().to_string());
    // The first account's address is known once its sandbox runs (the seed sees it).
    let home_url = std::cell::RefCell::new(String::new());
    let mut run = Run::start(
        Setup {
            without_key: true,
            // The address comes from the profiles, not the environment.
            env: &[("MP4UPLOAD_API_URL", "")],
            ..Setup::default()
        },
        |state| *home_url.borrow_mut() = state.base_url(),
        |home| {
            let config = format!(
                "default_profile = \"home\"\n\
                 [profiles.home]\napi_url = \"{}\"\napi_key = \"{}\"\n\
                 [profiles.site]\napi_url = \"{site_url}\"\napi_key = \"{site_key}\"\n",
                home_url.borrow(),
                mp4u::sandbox::DEMO_KEY,
            );
            std::fs::write(home.join("config.toml"), config).unwrap();
            Vec::new()
        },
    );
    let screen = run.wait_ready();
    assert!(
        screen.contains(" home "),
        "the profile on the account line:\n{screen}"
    );

    run.tui.press("P", "Switch to the profile");
    run.tui.send(DOWN);
    run.tui.send(ENTER);
    let screen = run.tui.wait_for("the other account", |s| {
        s.contains(" site ") && s.contains("Incoming")
    });
    assert!(!screen.contains("Anime"), "{screen}");
    // And back: the cursor starts on the profile in use.
    run.tui.press("P", "✓ in use");
    run.tui.send(crate::common::pty::UP);
    run.tui.send(ENTER);
    run.wait_ready();
    run.quit_keeping_the_key_secret();
}

#[test]
fn a_new_profile_asks_for_its_key_and_saves_it_in_its_table() {
    let mut run = Run::start(
        Setup {
            without_key: true,
            env: &[("MP4U_PROFILE", "site")],
            ..Setup::default()
        },
        |_| {},
        |home| {
            std::fs::write(home.join("config.toml"), "sort = \"size\"\n").unwrap();
            Vec::new()
        },
    );
    run.tui.wait_text("Paste the API key of profile site");
    let key = mp4u::sandbox::DEMO_KEY;
    run.tui.press(key, &"•".repeat(key.len()));
    run.tui.send(ENTER);
    let screen = run.wait_ready();
    assert!(screen.contains(" site "), "{screen}");
    run.quit();
    let text = std::fs::read_to_string(run.tui.dir().join("config.toml")).unwrap();
    assert_eq!(
        text,
        format!("sort = \"size\"\n\n[profiles.site]\napi_key = \"{key}\"\n")
    );
}
