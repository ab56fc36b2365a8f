use super::*;

fn contact(n: u32) -> Id {
    Id::parse(&format!("003{n:012}")).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn timestamps_are_iso_utc() {
    assert_eq!(utc(0), "1970-01-01T00:00:00Z");
    assert_eq!(utc(1_603_892_009), "2020-10-28T13:33:29Z");
    assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(utc_now().len(), 20);
}

#[test]
fn the_record_round_trips_through_resume_with_in_flight_rows() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut file = ResultsFile::new(dir.path(), Path::new("out/results.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut done = Record::new(&contact(1), status::DISABLED);
    done.user_id = Id::parse("005000000000001").ok();
    done.username = "=HYPERLINK(\"x\")".into();
    done.error_message = "line one\nline \"two\", with comma".into();
    file.add(&[done.clone()]);
    let sent = Record::new(&contact(2), status::SENT);
    file.write(&[sent]).unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(dir.path().join("out/results.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        text.starts_with("contact_id,user_id,username,status,error_code,error_message,at,note\r\n"),
        "{text}"
    );
    assert!(text.contains("'=HYPERLINK"), "{text}");
    let rows =
        read_resume(dir.path(), Path::new("out/results.csv")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 2);
    let back = &rows[0];
    assert_eq!(back.contact_id, contact(1));
    assert_eq!(back.status, "DISABLED");
    assert_eq!(back.user_id, done.user_id);
    assert_eq!(back.error_message, done.error_message);
    assert_eq!(
        (&rows[1].contact_id, rows[1].status.as_str()),
        (&contact(2), "SENT")
    );
    // The next write drops the in-flight row.
    file.write(&[]).unwrap_or_else(|e| panic!("{e}"));
    let rows =
        read_resume(dir.path(), Path::new("out/results.csv")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 1);
}

#[test]
fn resume_files_must_be_results_files() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("other.csv"), "Id,Name\n003000000000001,x\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let message = read_resume(dir.path(), Path::new("other.csv"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("needs the columns contact_id and status"),
        "{message}"
    );
    let message = read_resume(dir.path(), Path::new("missing.csv"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("omit --resume on a first run"),
        "{message}"
    );
    std::fs::write(
        dir.path().join("bad.csv"),
        "contact_id,status\n001000000000001,DISABLED\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let message = read_resume(dir.path(), Path::new("bad.csv"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains("bad.csv:2:"), "{message}");
}

#[test]
fn statuses_sort_into_finished_failed_and_in_flight() {
    for s in [
        "DISABLED",
        "DEACTIVATED",
        "ALREADY_INACTIVE",
        "NO_PORTAL_USER",
        "SKIPPED_SELF",
        "QUEUED",
    ] {
        assert!(is_finished(s) && !is_failed(s), "{s}");
    }
    assert!(is_failed("FAILED") && is_failed("SOMETHING_NEW"));
    assert!(!is_finished("SENT") && !is_failed("SENT"));
}
