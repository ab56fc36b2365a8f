//! `run` when things go wrong: a lost answer reconciled (never resent blindly), session
//! expiry mid-run, 429/503 with `Retry-After`, Ctrl-C with a true record and `--resume`, and a
//! record left by a run that died mid-call.

use crate::support;

use std::time::Duration;

use support::cli::{Background, SCALE, run, std_bin};
use support::offboard::{Org, results};
use support::simulator::org::{OrgData, RestFault, RestInjection};

fn ids(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

#[test]
fn a_lost_answer_is_checked_in_the_org_and_only_the_rest_is_sent_again() {
    for lost in [
        RestFault::LostAfterCommit,
        RestFault::CutAfterCommit,
        RestFault::PageAfterCommit(504),
    ] {
        let mut data = OrgData::default();
        let done: Vec<String> = (0..3).map(|_| data.portal_contact().0).collect();
        let (vip, vip_user) = data.portal_contact();
        data.failing_users.insert(vip_user);
        let nobody = data.add_contact();
        data.faults.push(RestInjection::new("invoke", lost.clone()));
        let org = Org::start(data);
        let mut all = done.clone();
        all.extend([vip.clone(), nobody.clone()]);
        let file = org.contacts(&ids(&all));
        let out = org.offboard(&["run", "--contacts", &file, "--results", "r.csv"]);
        out.code(68)
            .has("the answer to the action call was lost; the org shows the user disabled, so it was not sent again")
            .has("3 read from the org after a lost answer (not sent again); 2 sent again after the org showed them unchanged");
        assert!(
            out.stderr.contains("it may have run: checking the users"),
            "{lost:?}: {}",
            out.stderr
        );
        let invocations = org.sim.org().invocations;
        assert_eq!(invocations.len(), 2, "{lost:?}");
        assert_eq!(invocations[0].len(), 5);
        // Only what the org shows undone is sent again.
        assert_eq!(
            invocations[1],
            vec![vip.clone(), nobody.clone()],
            "{lost:?}"
        );
        let rows = results(org.dir.path(), "r.csv");
        let status = |c: &str| {
            rows.iter()
                .find(|r| r["contact_id"] == c)
                .map(|r| r["status"].clone())
        };
        for c in &done {
            assert_eq!(status(c).as_deref(), Some("DISABLED"), "{lost:?}");
        }
        assert_eq!(status(&vip).as_deref(), Some("FAILED"));
        // NO_PORTAL_USER is the truth for the Contact without a user, not for the disabled ones.
        assert_eq!(status(&nobody).as_deref(), Some("NO_PORTAL_USER"));
        assert!(!rows.iter().any(|r| r["status"] == "SENT"));
        assert_eq!(org.sim.violations(), Vec::<String>::new());
    }
}

#[test]
fn session_expiry_mid_run_logs_in_again_once_and_sends_each_contact_once() {
    let mut data = OrgData::default();
    let contacts: Vec<String> = (0..3).map(|_| data.portal_contact().0).collect();
    data.expire_after_invokes = Some(1);
    let org = Org::start(data);
    let auth = support::simulator::AuthConfig::default();
    let host = org.sim.url().trim_start_matches("http://").to_string();
    let file = org.contacts(&ids(&contacts));
    let out = run(
        support::cli::bin(&org.sim)
            .current_dir(org.dir.path())
            .env_remove("SF_ACCESS_TOKEN")
            .env_remove("SF_ORG_INSTANCE_URL")
            .env(
                "SF_AUTH_URL",
                format!(
                    "force://{}:{}:{}@{host}",
                    auth.client_id, auth.client_secret, auth.refresh_token
                ),
            ),
        &["run", "--contacts", &file, "--chunk-size", "1"],
    );
    out.code(0).has("3 DISABLED.");
    assert!(
        out.stderr.contains("the session expired; logged in again"),
        "{}",
        out.stderr
    );
    assert_eq!(org.sim.logins().len(), 2);
    assert_eq!(
        org.sim.org().invocations.len(),
        3,
        "a refused call never ran, and was sent once more"
    );
    for token in org.sim.issued_tokens() {
        assert!(!out.stdout.contains(&token) && !out.stderr.contains(&token));
    }
    assert!(!out.stderr.contains(auth.refresh_token));
}

#[test]
fn an_expired_access_token_stops_with_the_record_kept() {
    let mut data = OrgData::default();
    let contacts: Vec<String> = (0..3).map(|_| data.portal_contact().0).collect();
    data.expire_after_invokes = Some(1);
    let org = Org::start(data);
    let file = org.contacts(&ids(&contacts));
    let out = org.offboard(&[
        "run",
        "--contacts",
        &file,
        "--chunk-size",
        "1",
        "--results",
        "r.csv",
    ]);
    out.code(1);
    for want in [
        "INVALID_SESSION_ID",
        "SF_ACCESS_TOKEN",
        "run again with --resume r.csv",
    ] {
        assert!(out.stderr.contains(want), "{want}\n{}", out.stderr);
    }
    let rows = results(org.dir.path(), "r.csv");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["status"], "DISABLED");
}

#[test]
fn throttling_and_server_errors_back_off_with_retry_after() {
    let mut data = OrgData::default();
    let contacts: Vec<String> = (0..2).map(|_| data.portal_contact().0).collect();
    data.faults.push(RestInjection::new(
        "query",
        RestFault::Error {
            status: 429,
            code: "REQUEST_LIMIT_EXCEEDED",
            retry_after: Some(5),
        },
    ));
    data.faults.push(
        RestInjection::new(
            "invoke",
            RestFault::Error {
                status: 503,
                code: "SERVER_UNAVAILABLE",
                retry_after: Some(5),
            },
        )
        .times(2),
    );
    let org = Org::start(data);
    let file = org.contacts(&ids(&contacts));
    let out = org.offboard(&["run", "--contacts", &file]);
    out.code(0).has("2 DISABLED;");
    assert!(out.stderr.contains("SERVER_UNAVAILABLE"), "{}", out.stderr);
    let invokes = org.sim.rest_calls("invoke");
    assert_eq!(invokes.len(), 3);
    // Retry-After: 5 s at the tests' time scale.
    let scale: f64 = SCALE.parse().unwrap_or(1.0);
    let gap = invokes[1].at.duration_since(invokes[0].at);
    assert!(gap >= Duration::from_secs_f64(5.0 * scale * 0.9), "{gap:?}");
    assert_eq!(
        org.sim.org().invocations.len(),
        1,
        "a 503 before the Apex ran"
    );
}

#[test]
fn a_call_that_keeps_failing_stops_with_exit_1_after_the_backoff() {
    let mut data = OrgData::default();
    let (c, _) = data.portal_contact();
    data.faults
        .push(RestInjection::new("invoke", RestFault::Html(502)).times(100));
    let org = Org::start(data);
    let out = org.offboard(&[
        "run",
        "--contacts",
        &org.contacts(&[&c]),
        "--results",
        "r.csv",
    ]);
    out.code(1);
    assert!(out.stderr.contains("HTTP 502"), "{}", out.stderr);
    assert_eq!(org.sim.rest_calls("invoke").len(), 6);
    assert!(
        results(org.dir.path(), "r.csv").is_empty(),
        "checked: nothing was done"
    );
}

/// Runs `run` with slow action answers, sends SIGINT once the first call reached the Apex.
fn interrupt_run(org: &Org, file: &str) -> (i32, String, String) {
    let run = Background::start(std_bin(&org.sim).current_dir(org.dir.path()).args([
        "run",
        "--contacts",
        file,
        "--chunk-size",
        "1",
        "--results",
        "r.csv",
    ]));
    run.when("invoked", || !org.sim.org().invocations.is_empty())
        .signal("INT");
    let out = run.finish();
    (out.code, out.stdout, out.stderr)
}

#[test]
fn ctrl_c_keeps_a_true_record_and_resume_finishes_the_rest() {
    let mut data = OrgData::default();
    let contacts: Vec<String> = (0..4).map(|_| data.portal_contact().0).collect();
    data.faults.push(
        RestInjection::new(
            "invoke",
            RestFault::SlowAfterCommit(Duration::from_millis(600)),
        )
        .times(1),
    );
    let org = Org::start(data);
    let file = org.contacts(&ids(&contacts));
    let (code, stdout, stderr) = interrupt_run(&org, &file);
    assert_eq!(code, 130, "{stdout}\n{stderr}");
    assert!(stderr.contains("chunk 1 of 4 (Contacts 1 to 1 of those to send) was answered and recorded; chunk 2 of 4"), "{stderr}");
    assert!(stderr.contains("was not sent"), "{stderr}");
    let rows = results(org.dir.path(), "r.csv");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0]["contact_id"].as_str(), rows[0]["status"].as_str()),
        (contacts[0].as_str(), "DISABLED")
    );
    let out = org.offboard(&[
        "run",
        "--contacts",
        &file,
        "--resume",
        "r.csv",
        "--results",
        "r.csv",
    ]);
    out.code(0).has("3 DISABLED; 1 finished earlier, skipped.");
    let invocations = org.sim.org().invocations;
    let sent: Vec<&String> = invocations.iter().flatten().collect();
    assert_eq!(sent.len(), 4, "each Contact sent once: {sent:?}");
    let rows = results(org.dir.path(), "r.csv");
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r["status"] == "DISABLED"));
}

#[test]
fn resume_checks_contacts_a_dead_run_left_in_flight_before_sending_them() {
    let mut data = OrgData::default();
    let (finished, finished_user) = data.portal_contact();
    let (committed, committed_user) = data.portal_contact();
    let (pending, pending_user) = data.portal_contact();
    let (failed, _) = data.portal_contact();
    // The dead run's call had committed `committed` (and `finished` earlier).
    for user in data
        .users
        .iter_mut()
        .filter(|u| u.id == committed_user || u.id == finished_user)
    {
        user.is_portal_enabled = false;
        user.is_active = false;
        user.contact_id = None;
    }
    let org = Org::start(data);
    let header = "contact_id,user_id,username,status,error_code,error_message,at,note\n";
    let record = format!(
        "{header}{finished},{finished_user},u,DISABLED,,,2026-11-30T10:00:00Z,\n\
         {committed},{committed_user},u,SENT,,,2026-11-30T10:00:01Z,sent; no answer recorded yet\n\
         {pending},{pending_user},u,SENT,,,2026-11-30T10:00:01Z,sent; no answer recorded yet\n\
         {failed},,,FAILED,X,y,2026-11-30T10:00:00Z,\n"
    );
    std::fs::write(org.dir.path().join("old.csv"), record).expect("writing a test file");
    let file = org.contacts(&[&finished, &committed, &pending, &failed]);
    let out = org.offboard(&[
        "run",
        "--contacts",
        &file,
        "--resume",
        "old.csv",
        "--results",
        "new.csv",
    ]);
    out.code(0)
        .has("an earlier run sent this Contact but recorded no answer; the org shows the user changed")
        .has("1 finished earlier, skipped");
    assert_eq!(
        org.sim.org().invocations,
        vec![vec![pending.clone(), failed.clone()]]
    );
    let rows = results(org.dir.path(), "new.csv");
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(rows[0]["contact_id"], finished);
    assert_eq!(
        rows[0]["at"], "2026-11-30T10:00:00Z",
        "the earlier row is kept as it was"
    );
    assert!(rows.iter().all(|r| r["status"] == "DISABLED"), "{rows:?}");
    // Everything finished: nothing is sent, the record is kept whole, stdout stays one document.
    let again = org.offboard(&[
        "run",
        "--contacts",
        &file,
        "--resume",
        "new.csv",
        "--results",
        "new.csv",
        "--json",
    ]);
    again.code(0);
    assert_eq!(again.json()["result"]["summary"]["resumed"], 4);
    assert_eq!(org.sim.org().invocations.len(), 1);
    assert_eq!(results(org.dir.path(), "new.csv").len(), 4);
}
