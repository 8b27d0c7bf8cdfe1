//! The decoder against every example of the vendor's documentation and every quirk of API.md.
//! The documentation's own examples hold three JSON syntax errors: those must come back as the
//! invalid-JSON error, never a panic.

use mp4u::api::envelope::decode;
use mp4u::api::{
    AccountInfo, ApiError, ClonedFile, DayStats, DeletedFile, FileInfo, FileList, FolderListing,
    StorageLeft, UploadReply,
};
use serde_json::{Value, json};

const KEY: &str = "1l5ftrilhllgwx2bo";

fn seed(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/seed/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ok_result(name: &str) -> Value {
    decode(200, &seed(name), KEY)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .result
}

fn invalid_json(name: &str) -> String {
    match decode(200, &seed(name), KEY) {
        Err(e @ ApiError::InvalidJson { .. }) => e.to_string(),
        other => panic!("{name}: expected invalid JSON, got {other:?}"),
    }
}

#[test]
fn seed_account_info_is_invalid_json() {
    // "premium_expire": "2015-10-24 21:00:00   <- unterminated string in the documentation
    let message = invalid_json("account_info");
    assert!(
        message.starts_with("the server sent invalid JSON"),
        "{message}"
    );
    assert!(message.chars().count() < 140, "excerpt is short: {message}");
}

#[test]
fn seed_account_info_repaired_decodes_with_mixed_number_types() {
    let text = String::from_utf8(seed("account_info"))
        .unwrap()
        .replace("\"2015-10-24 21:00:00\n", "\"2015-10-24 21:00:00\"\n");
    let env = decode(200, text.as_bytes(), KEY).unwrap();
    let info = AccountInfo::from_value(&env.result).unwrap();
    assert_eq!(info.email.as_deref(), Some("[email\u{a0}protected]")); // as the seed has it
    assert_eq!(info.balance, Some(0.0));
    assert_eq!(info.storage_used, Some(24_186_265)); // a string in the reply
    assert_eq!(info.storage_left, StorageLeft::Bytes(128_824_832_615)); // a number
    assert_eq!(info.premium_expire.as_deref(), Some("2015-10-24 21:00:00"));
    assert_eq!(env.server_time.as_deref(), Some("2022-08-11 04:30:07"));
}

#[test]
fn seed_account_stats() {
    let days = DayStats::list_from_value(ok_result("account_stats"));
    assert_eq!(days.len(), 1);
    let d = &days[0];
    assert_eq!(d.day, "2022-09-12");
    assert_eq!(
        (d.views, d.downloads, d.views_adb, d.views_prem),
        (0, 0, 1, 0)
    );
    assert_eq!(d.profit_total, 0.0);
}

#[test]
fn seed_upload_server() {
    assert_eq!(
        ok_result("upload_server"),
        json!("http://s1.mp4upload.com/upload/01")
    );
}

#[test]
fn seed_file_info_with_a_404_item() {
    let files = FileInfo::list_from_value(ok_result("file_info"));
    assert_eq!(files.len(), 2);
    assert!(files[0].exists());
    assert_eq!(files[0].file_code, "gi4o0tlro01u");
    assert_eq!(
        files[0].name.as_deref(),
        Some("4K Time Lapse in the EOS 6D Mark II")
    );
    assert_eq!(files[0].downloads, Some(0)); // "download", singular
    assert_eq!(files[0].size, Some(200));
    assert_eq!(files[0].uploaded.as_deref(), Some("2022-08-10 05:07:17"));
    assert!(!files[1].exists());
    assert_eq!(files[1].status, 404);
    assert_eq!(files[1].name, None);
}

#[test]
fn seed_file_list_keeps_only_existing_files() {
    let list = FileList::from_value(ok_result("file_list"));
    assert_eq!(list.files.len(), 1);
    assert_eq!(list.files[0].size, Some(20));
    assert_eq!(list.files[0].downloads, Some(0));
    assert_eq!(list.results_total, None);
}

#[test]
fn seed_file_rename() {
    let files = FileInfo::list_from_value(ok_result("file_rename"));
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].canplay, Some(true));
    assert_eq!(files[0].views_started, Some(1));
    assert_eq!(files[0].size, Some(201));
    assert!(!files[1].exists());
}

#[test]
fn seed_file_clone() {
    let cloned = ClonedFile::from_value(&ok_result("file_clone")).unwrap();
    assert_eq!(cloned.file_code, "gtl2mhgw4is7");
    assert_eq!(
        cloned.url.as_deref(),
        Some("https://www.mp4upload.com/gtl2mhgw4is7")
    );
}

#[test]
fn seed_file_set_folder_has_no_result() {
    assert_eq!(ok_result("file_set_folder"), Value::Null);
}

#[test]
fn seed_folder_list_is_invalid_json() {
    // "name":"100mb.bin",   <- trailing comma in the documentation
    invalid_json("folder_list");
}

#[test]
fn seed_folder_list_repaired_decodes_string_ids() {
    let text = String::from_utf8(seed("folder_list"))
        .unwrap()
        .replace("\"100mb.bin\",", "\"100mb.bin\"");
    let listing = FolderListing::from_value(decode(200, text.as_bytes(), KEY).unwrap().result);
    assert_eq!(listing.folders.len(), 1);
    assert_eq!(listing.folders[0].fld_id, 24);
    assert_eq!(listing.folders[0].name, "Sub1");
    assert_eq!(listing.files[0].file_code, "4w0sy8e63f0c"); // "file_code" here
    assert_eq!(listing.files[0].fld_id, Some(16));
    assert_eq!(
        listing.files[0].link.as_deref(),
        Some("https://www.mp4upload.com/4w0sy8e63f0c.html")
    );
}

#[test]
fn seed_folder_create_string_id() {
    assert_eq!(ok_result("folder_create")["fld_id"], json!("26"));
}

#[test]
fn seed_folder_rename_true_string() {
    assert_eq!(ok_result("folder_rename"), json!("true"));
}

#[test]
fn seed_files_deleted_is_invalid_json() {
    // "deleted":"2022-08-10 20:30:02"   <- missing comma in the documentation
    invalid_json("files_deleted");
}

#[test]
fn seed_files_deleted_repaired() {
    let text = String::from_utf8(seed("files_deleted"))
        .unwrap()
        .replace("\"2022-08-10 20:30:02\"", "\"2022-08-10 20:30:02\",");
    let files = DeletedFile::list_from_value(decode(200, text.as_bytes(), KEY).unwrap().result);
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].deleted_ago_sec, Some(194_316));
    assert_eq!(files[1].name.as_deref(), Some("2mb.bin"));
}

// ---- API.md quirks ----

#[test]
fn errors_come_with_http_200_and_status_as_string() {
    for body in [
        r#"{"msg":"Wrong auth","server_time":"2022-08-11 04:30:07","status":403}"#,
        r#"{"msg":"Wrong auth","server_time":"2022-08-11 04:30:07","status":"403"}"#,
    ] {
        let err = decode(200, body.as_bytes(), KEY).unwrap_err();
        assert_eq!(
            err.to_string(),
            "mp4upload rejected the API key (403 Wrong auth)"
        );
    }
    let err = decode(200, br#"{"msg":"Invalid key","status":400}"#, KEY).unwrap_err();
    assert!(err.is_auth());
    let err = decode(200, br#"{"msg":"no file","status":404}"#, KEY).unwrap_err();
    assert_eq!(err.api_status(), Some(404));
    let err = decode(200, br#"{"msg":"Too Many Requests","status":"429"}"#, KEY).unwrap_err();
    assert!(err.is_transient());
    let err = decode(
        200,
        br#"{"msg":"This function not allowed in API","status":403}"#,
        KEY,
    )
    .unwrap_err();
    assert!(!err.is_auth());
    assert_eq!(
        err.to_string(),
        "mp4upload refused the request (403 This function not allowed in API)"
    );
}

#[test]
fn non_json_bodies_are_errors_not_panics() {
    let err = decode(
        502,
        b"<html><head><title>502 Bad Gateway</title></head></html>",
        KEY,
    )
    .unwrap_err();
    assert!(matches!(err, ApiError::Http { status: 502, .. }), "{err:?}");
    assert!(err.to_string().contains("502 Bad Gateway"));
    let err = decode(520, b"error code: 520", KEY).unwrap_err();
    assert!(err.to_string().contains("error code: 520"));
    let err = decode(200, b"", KEY).unwrap_err();
    assert!(matches!(err, ApiError::InvalidJson { .. }));
    let err = decode(200, &[0xff, 0xfe, 0x00, 0x80], KEY).unwrap_err();
    assert!(matches!(err, ApiError::InvalidJson { .. }));
}

#[test]
fn excerpts_never_hold_the_key() {
    let body = format!("<html>proxy error for /api/file/list?key={KEY}&page=1</html>");
    let err = decode(200, body.as_bytes(), KEY).unwrap_err();
    assert!(!err.to_string().contains(KEY), "{err}");
    let body = format!(r#"{{"msg":"bad key {KEY}","status":403}}"#);
    let err = decode(200, body.as_bytes(), KEY).unwrap_err();
    assert!(!err.to_string().contains(KEY), "{err}");
}

#[test]
fn storage_inf_and_null() {
    let info = AccountInfo::from_value(&json!({
        "email": "a@b.c", "storage_used": null, "storage_left": "inf", "balance": "1.50000"
    }))
    .unwrap();
    assert_eq!(info.storage_used, None);
    assert_eq!(info.storage_left, StorageLeft::Unlimited);
    assert_eq!(info.balance, Some(1.5));
    let info = AccountInfo::from_value(&json!({})).unwrap();
    assert_eq!(info.storage_left, StorageLeft::Unknown);
    assert_eq!(info.email, None);
}

#[test]
fn ids_and_counters_as_numbers_or_strings() {
    let a =
        FolderListing::from_value(json!({"folders": [{"name": "A", "fld_id": 24}], "files": []}));
    let b = FolderListing::from_value(json!({"folders": [{"name": "A", "fld_id": "24"}]}));
    assert_eq!(a, b);
    let f = FileInfo::from_value(
        &json!({"filecode": "x", "size": 20, "downloads": "7", "fld_id": "3"}),
    )
    .unwrap();
    assert_eq!(
        (f.size, f.downloads, f.fld_id),
        (Some(20), Some(7), Some(3))
    );
}

#[test]
fn file_code_and_download_field_variants() {
    for item in [
        json!({"filecode": "abc", "download": "5"}),
        json!({"file_code": "abc", "downloads": 5}),
        json!({"file_code": "abc", "filecode": "abc", "downloads": "5", "extra": {"x": [1]}}),
    ] {
        let f = FileInfo::from_value(&item).unwrap();
        assert_eq!((f.file_code.as_str(), f.downloads), ("abc", Some(5)));
    }
    let d = DeletedFile::from_value(&json!({"filecode": "q", "deleted_ago_sec": 5})).unwrap();
    assert_eq!(d.file_code, "q");
}

#[test]
fn file_list_as_array_or_object() {
    let item = json!({"filecode": "a", "name": "n", "size": "1"});
    let bare = FileList::from_value(json!([item.clone()]));
    let wrapped =
        FileList::from_value(json!({"files": [item], "results_total": "41", "total_pages": 3}));
    assert_eq!(bare.files, wrapped.files);
    assert_eq!(wrapped.results_total, Some(41));
    assert_eq!(wrapped.total_pages, Some(3));
    assert!(FileList::from_value(Value::Null).files.is_empty());
    assert!(
        FileList::from_value(json!({"files": null}))
            .files
            .is_empty()
    );
}

#[test]
fn missing_optional_fields_are_none_and_odd_items_are_skipped() {
    let files =
        FileInfo::list_from_value(json!([{"filecode": "a"}, 5, "x", null, {"name": "no code"}]));
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, None);
    assert_eq!(files[0].status, 200);
    let days = DayStats::list_from_value(
        json!([{"day": "2022-01-02"}, {"day": "2022-01-01", "views": "3"}]),
    );
    assert_eq!(days[0].day, "2022-01-01", "sorted oldest first");
    assert_eq!(days[0].views, 3);
}

#[test]
fn upload_reply_three_shapes_and_undef() {
    let a = UploadReply::parse(r#"[{"file_code":"abc123def456","file_status":"OK"}]"#).unwrap();
    let b = UploadReply::parse(
        r#"{"files":[{"filecode":"abc123def456","filename":"a.mp4","status":"OK"}]}"#,
    )
    .unwrap();
    let c = UploadReply::parse("<Form name='F1'><textarea name='fn'>abc123def456</textarea><textarea name='st'>OK</textarea></Form>").unwrap();
    for r in [&a, &b, &c] {
        assert_eq!(r.file_code, "abc123def456");
        assert!(!r.refused());
    }
    let refused = UploadReply::parse(
        r#"[{"file_code":"undef","file_status":"uploads are not enabled for your account type"}]"#,
    )
    .unwrap();
    assert!(refused.refused());
    assert_eq!(
        refused.file_status,
        "uploads are not enabled for your account type"
    );
}

#[test]
fn arbitrary_garbage_never_panics() {
    let samples: [&[u8]; 8] = [
        b"{",
        b"[]",
        b"null",
        b"{\"status\":{}}",
        b"{\"status\":-1}",
        b"{\"status\":99999999999}",
        b"{\"result\":[[[[]]]],\"status\":200}",
        b"\"just a string\"",
    ];
    for body in samples {
        if let Ok(env) = decode(200, body, KEY) {
            let _ = FileList::from_value(env.result.clone());
            let _ = FolderListing::from_value(env.result.clone());
            let _ = AccountInfo::from_value(&env.result);
            let _ = DayStats::list_from_value(env.result.clone());
            let _ = DeletedFile::list_from_value(env.result);
        }
        let _ = UploadReply::parse(&String::from_utf8_lossy(body));
    }
}
