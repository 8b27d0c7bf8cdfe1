//! Profiles: two accounts in one config file, each reached with its own key, address and
//! settings, each with its own queue; `mp4u profiles` lists them without a key.

use crate::cli::Fixture;
use crate::common::*;

#[test]
fn two_profiles_reach_two_accounts_each_with_its_own_queue() {
    let (home, site) = (Fixture::empty(), Fixture::empty());
    site.sb.state().create_folder(0, "Incoming").unwrap();
    let config = home.config();
    std::fs::write(
        &config,
        format!(
            "default_profile = \"home\"\n\
             [profiles.home]\napi_url = \"{}\"\napi_key = \"{}\"\n\
             [profiles.site]\napi_url = \"{}\"\napi_key = \"{}\"\ndefault_folder = \"/Incoming\"\n",
            home.sb.base_url(),
            home.sb.key(),
            site.sb.base_url(),
            site.sb.key()
        ),
    )
    .unwrap();
    let local = tempfile::tempdir().unwrap();
    let (a, _) = random_file(local.path(), "a.mp4", 5_000, 1);
    let (b, _) = random_file(local.path(), "b.mp4", 6_000, 2);
    // No key or address from the environment: the profiles give them.
    let mp4u = |args: &[&str]| run_mp4u(&config, None, None, args);

    // The default profile, then another by flag and by the environment.
    mp4u(&["upload", a.to_str().unwrap()]).ok();
    mp4u(&["--profile", "site", "upload", b.to_str().unwrap()]).ok();
    assert_eq!(home.sb.state().find_by_name("a.mp4").len(), 1);
    assert!(home.sb.state().find_by_name("b.mp4").is_empty());
    let on_site = site.sb.state().find_by_name("b.mp4");
    assert_eq!(on_site.len(), 1);
    let incoming = site.sb.state().subfolders(0)[0].fld_id;
    assert_eq!(on_site[0].fld_id, incoming, "the profile's default_folder");
    let by_env = mp4u_command(&config, None, None)
        .env("MP4U_PROFILE", "site")
        .args(["ls", "/Incoming", "--json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&by_env.stdout).contains("b.mp4"));

    // Each its own queue.
    let queue = |profile: &str| {
        let out = mp4u(&["--profile", profile, "queue", "--json"]);
        out.ok();
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(queue("home"), ["a.mp4"]);
    assert_eq!(queue("site"), ["b.mp4"]);

    // Listed, never with a key.
    let out = mp4u(&["profiles"]);
    out.ok();
    assert!(out.stdout.contains("* home (default)"), "{}", out.stdout);
    assert!(out.stdout.contains("site"), "{}", out.stdout);
    for key in [home.sb.key(), site.sb.key()] {
        assert!(!leaks(&out.stdout, key), "{}", out.stdout);
    }
    // A profile the file does not have: exit 3, with the ones it has.
    let out = mp4u(&["--profile", "work", "ls"]);
    assert_eq!(out.code, 3, "{out:?}");
    out.complains("no profile \"work\"");
    out.complains("(its profiles: home, site)");
}
