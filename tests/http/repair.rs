//! `mp4u repair`: a dead link is uploaded again from its local copy and mapped to the new one;
//! a second run uploads nothing; a dead file with no local copy is named, exit 1.

use crate::cli::Fixture;
use crate::common::*;

#[test]
fn a_dead_link_is_uploaded_again_once_and_mapped() {
    let fx = Fixture::empty();
    let show = fx.sb.state().create_folder(0, "Show").unwrap();
    let local = tempfile::tempdir().unwrap();
    let videos = local.path().join("videos");
    std::fs::create_dir_all(videos.join("Season 1")).unwrap();
    let paths: Vec<String> = (1..=3)
        .map(|i| {
            let (path, _) = random_file(
                &videos.join("Season 1"),
                &format!("ep {i}.mp4"),
                10_000 + i,
                i as u64,
            );
            path.display().to_string()
        })
        .collect();
    let mut args = vec!["upload", "--folder", "/Show"];
    args.extend(paths.iter().map(String::as_str));
    fx.run(&args).ok();
    // The site's export, as `mp4u links` gives it.
    let csv = fx
        .run(&["links", "--folder", "/Show", "--format", "csv"])
        .ok()
        .stdout
        .clone();
    let export = local.path().join("links.csv");
    std::fs::write(&export, &csv).unwrap();
    let old = fx.sb.state().find_by_name("ep 2.mp4")[0].code.clone();
    assert!(fx.sb.state().expire(&old), "the file disappears");
    let sent = fx.sb.calls_of("upload");

    let repair_from = |input: &std::path::Path, more: &[&str]| {
        let mut args = vec![
            "repair",
            input.to_str().unwrap(),
            "--from",
            videos.to_str().unwrap(),
        ];
        args.extend_from_slice(more);
        fx.run(&args)
    };
    // The CSV names each file's folder: the new upload goes back into it.
    let repair = |format: &str| repair_from(&export, &["--format", format]);
    let dry = fx.run(&[
        "repair",
        export.to_str().unwrap(),
        "--from",
        videos.to_str().unwrap(),
        "--dry-run",
    ]);
    dry.ok().says(&format!("upload again  {old}  "));
    assert_eq!(fx.sb.calls_of("upload"), sent, "a dry run sends nothing");

    let out = repair("csv");
    out.ok().complains("2 alive, 1 dead");
    let new = fx.sb.state().find_by_name("ep 2.mp4");
    assert_eq!(new.len(), 1, "uploaded again, once");
    assert_ne!(new[0].code, old);
    assert_eq!(new[0].fld_id, show, "back in the folder the CSV names");
    assert_eq!(fx.sb.calls_of("upload"), sent + 1);
    let rows: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(rows[0], "old_code,old_link,name,code,link,embed,size");
    assert_eq!(
        rows[1],
        format!(
            "{old},{base}/{old},ep 2.mp4,{new},{base}/{new},{base}/embed-{new}.html,10002",
            base = fx.sb.base_url(),
            new = new[0].code
        )
    );
    assert_eq!(rows.len(), 2);

    // Again: found there, mapped, nothing sent; as a sed script for the site's export.
    let out = repair("sed");
    out.ok();
    assert_eq!(
        fx.sb.calls_of("upload"),
        sent + 1,
        "the second run uploads nothing"
    );
    out.says(&format!("s/{old}/{}/g\n", new[0].code));

    // From bare links, the name comes from the deletion history.
    let links = local.path().join("links.txt");
    std::fs::write(&links, format!("{}/{old}\n", fx.sb.base_url())).unwrap();
    let out = repair_from(&links, &["--folder", "/Show"]);
    out.ok().says(&format!(
        "{base}/{old}\t{base}/{new}\n",
        base = fx.sb.base_url(),
        new = new[0].code
    ));
    assert_eq!(fx.sb.calls_of("upload"), sent + 1);

    // A dead file with no local copy is named; the run exits 1.
    let gone = fx.sb.state().find_by_name("ep 3.mp4")[0].code.clone();
    fx.sb.state().expire(&gone);
    std::fs::remove_file(&paths[2]).unwrap();
    let out = repair("plain");
    assert_eq!(out.code, 1, "{out:?}");
    out.complains(&format!(
        "{gone} (ep 3.mp4): dead, and no local file named \"ep 3.mp4\""
    ));
    out.complains("1 dead file could not be repaired");
}
