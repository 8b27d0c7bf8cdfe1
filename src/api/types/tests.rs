//! The readers against every shape API.md names.

use super::*;
use serde_json::json;

#[test]
fn file_code_under_either_name() {
    let a = FileInfo::from_value(&json!({"filecode": "abc", "download": "3"})).unwrap();
    let b = FileInfo::from_value(&json!({"file_code": "abc", "downloads": 3})).unwrap();
    assert_eq!(a.file_code, b.file_code);
    assert_eq!(a.downloads, Some(3));
    assert_eq!(b.downloads, Some(3));
    // both names at once is not a "duplicate field" failure
    let c = FileInfo::from_value(&json!({"filecode": "x", "file_code": "x"})).unwrap();
    assert_eq!(c.file_code, "x");
}

#[test]
fn bytes_and_values_read_alike() {
    let body = br#"[{"filecode":"a","name":" n ","size":"12","downloads":3,"fld_id":"24",
        "public":"1","extra":{"x":[1,2]}},5,{"status":404,"filecode":"b"},{"name":"x"}]"#;
    let from_bytes = serde_json::from_slice::<FileItems>(body).unwrap().0;
    let value: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(from_bytes, FileInfo::list_from_value(value));
    assert_eq!(from_bytes.len(), 2);
    assert_eq!(from_bytes[0].name.as_deref(), Some("n"));
    assert_eq!(from_bytes[0].fld_id, Some(24));
    assert_eq!(from_bytes[0].public, Some(true));
    assert!(!from_bytes[1].exists());
}

#[test]
fn folder_files_are_read_as_asked() {
    let body = br#"{"folders":[{"name":"Sub1","fld_id":"24"}],
        "files":[{"file_code":"c1","fld_id":"16","name":"a.bin","link":"l"}]}"#;
    let full: FolderListing = serde_json::from_slice(body).unwrap();
    assert_eq!(full.files[0].name.as_deref(), Some("a.bin"));
    let index: FolderIndex = serde_json::from_slice(body).unwrap();
    assert_eq!(
        index.files,
        [FilePlace {
            file_code: "c1".into(),
            fld_id: Some(16)
        }]
    );
    let tree: Subfolders = serde_json::from_slice(body).unwrap();
    assert_eq!(tree.folders[0].fld_id, 24);
}

#[test]
fn upload_reply_shapes() {
    let a = UploadReply::parse(r#"[{"file_code":"abc123","file_status":"OK"}]"#).unwrap();
    assert_eq!(a.file_code, "abc123");
    assert!(!a.refused());
    assert!(a.accepted());
    let b = UploadReply::parse(r#"{"files":[{"filecode":"q1","filename":"a.mp4","status":"OK"}]}"#)
        .unwrap();
    assert_eq!(b.file_code, "q1");
    let c = UploadReply::parse(
        "<html><form><textarea name='fn'>zz9</textarea><textarea name='st'>OK</textarea></form>",
    )
    .unwrap();
    assert_eq!(
        (c.file_code.as_str(), c.file_status.as_str()),
        ("zz9", "OK")
    );
    let d = UploadReply::parse(r#"[{"file_code":"undef","file_status":"not allowed"}]"#).unwrap();
    assert!(d.refused());
    assert!(UploadReply::parse("<html>nothing</html>").is_none());
    assert!(UploadReply::parse(r#"{"msg":"Wrong auth","status":403}"#).is_none());
    let quota = UploadReply::parse(
        r#"[{"file_code":"abc123","file_status":"Error: disk quota exceeded"}]"#,
    )
    .unwrap();
    assert!(!quota.refused() && !quota.accepted());
    let bare = UploadReply::parse(r#"[{"file_code":"abc123"}]"#).unwrap();
    assert!(bare.accepted());
}
