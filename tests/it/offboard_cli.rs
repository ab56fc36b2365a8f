//! `preview` and `run` as an admin runs them: the built binary against the simulator's REST
//! endpoints and org data, for every outcome and exit code, the results record and `--resume`,
//! and bad input. `offboard_faults.rs` covers lost answers, session expiry, backoff and
//! interrupts.

use crate::support;

use std::path::Path;

use support::cli::{Run, bin, run};
use support::offboard::{Org, results};
use support::simulator::org::{OrgData, RestFault, RestInjection};

#[test]
fn preview_shows_every_outcome_and_changes_nothing() {
    let mut data = OrgData::default();
    let (will, will_user) = data.portal_contact();
    let (me, me_user) = data.portal_contact();
    data.running_user = me_user.clone();
    let internal = data.add_contact();
    let internal_user = data.add_user(Some(&internal), "Standard", true, false);
    let nobody = data.add_contact();
    let missing = "003D0000001aH2A"; // a valid Contact Id the org does not have
    data.page_size = 1; // every query pages through nextRecordsUrl
    let org = Org::start(data);
    let before = org.sim.org().snapshot();
    // 15-character Ids, a duplicate, one per line.
    let file = org.contacts(&[&will[..15], &will, &me, &internal, &nobody, missing]);
    let out = org.offboard(&["preview", "--contacts", &file]);
    out.code(0)
        .has(&format!("{will}  will disable"))
        .has(&format!("{will_user}  user"))
        .has("PowerCustomerSuccess  active, portal-enabled")
        .has(&format!("{me}  running user: skipped"))
        .has(&format!("{internal}  no portal user"))
        .has(&internal_user)
        .has("(not a portal user the Apex changes)")
        .has(&format!("{nobody}  no portal user"))
        .has("003D0000001aH2AIAU  Contact not found")
        .has("Preview (disable mode): 5 Contacts: 1 will disable, 2 no portal user, 1 running user: skipped, 1 Contact not found (1 duplicate line collapsed). Nothing was changed.");
    assert_eq!(org.sim.org().snapshot(), before, "preview changed the org");
    assert!(org.sim.rest_calls("invoke").is_empty());
    assert!(org.sim.rest_calls("describe").is_empty());
    assert!(!org.sim.rest_calls("queryMore").is_empty(), "no paging");
    assert_eq!(org.sim.violations(), Vec::<String>::new());
}

#[test]
fn preview_json_and_deactivate_mode() {
    let mut data = OrgData::default();
    data.disable = false;
    let (active, _) = data.portal_contact();
    let inactive = data.add_contact();
    let inactive_user = data.add_user(Some(&inactive), "CspLitePortal", false, true);
    let org = Org::start(data);
    org.config("mode = \"deactivate\"\n");
    let file = org.contacts_csv(
        "Name,Contact Id\n\"Doe, Jane\",{0}\nBob,{1}\n",
        &[&active, &inactive],
    );
    let out = org.offboard(&["preview", "--contacts", &file, "--json"]);
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["status"], 0);
    let result = &doc["result"];
    assert_eq!(result["mode"], "deactivate");
    assert_eq!(result["runningUserId"], org.sim.org().running_user.as_str());
    assert_eq!(result["summary"]["WILL_DEACTIVATE"], 1);
    assert_eq!(result["summary"]["ALREADY_INACTIVE"], 1);
    assert_eq!(result["contacts"][1]["outcome"], "ALREADY_INACTIVE");
    assert_eq!(result["contacts"][1]["text"], "already inactive");
    assert_eq!(result["contacts"][1]["user"]["id"], inactive_user.as_str());
    assert_eq!(result["contacts"][1]["user"]["isActive"], false);
    assert_eq!(result["contacts"][1]["user"]["userType"], "CspLitePortal");
}

#[test]
fn preview_reads_standard_input_and_splits_long_id_lists() {
    let mut data = OrgData::default();
    let contacts: Vec<String> = (0..700).map(|_| data.portal_contact().0).collect();
    let org = Org::start(data);
    let out = run(
        bin(&org.sim)
            .current_dir(org.dir.path())
            .write_stdin(contacts.join("\n")),
        &["preview", "--contacts", "-"],
    );
    out.code(0)
        .has("Preview (disable mode): 700 Contacts: 700 will disable.");
    let queries = org.sim.rest_calls("query");
    // Contacts and users, each split in several requests, none near the URI limit.
    assert!(queries.len() >= 6, "{}", queries.len());
    assert!(
        queries
            .iter()
            .all(|q| q.path.len() <= 8192 && q.status == 200)
    );
    assert_eq!(org.sim.violations(), Vec::<String>::new());
}

#[test]
fn run_records_every_outcome_and_exits_68_when_one_failed() {
    let mut data = OrgData::default();
    let (done, done_user) = data.portal_contact();
    let (vip, vip_user) = data.portal_contact();
    data.failing_users.insert(vip_user.clone());
    let (me, me_user) = data.portal_contact();
    data.running_user = me_user;
    let nobody = data.add_contact();
    let org = Org::start(data);
    let file = org.contacts(&[&done, &vip, &me, &nobody]);
    let out = org.offboard(&[
        "run",
        "--contacts",
        &file,
        "--chunk-size",
        "2",
        "--results",
        "out/results.csv",
    ]);
    out.code(68)
        .has(&format!("{done}  DISABLED          {done_user}  user"))
        .has(&format!("{vip}  FAILED            {vip_user}"))
        .has("FIELD_CUSTOM_VALIDATION_EXCEPTION: VIP portal users cannot be offboarded")
        .has(&format!("{me}  SKIPPED_SELF"))
        .has(&format!("{nobody}  NO_PORTAL_USER"))
        .has("running again changed nothing")
        .has("Run (disable mode): 4 Contacts in 2 chunks");
    out.has("1 DISABLED, 1 NO_PORTAL_USER, 1 SKIPPED_SELF, 1 FAILED");
    assert!(
        out.stderr.contains("chunk 1/2: 2 Contacts, 1 failed"),
        "{}",
        out.stderr
    );
    // Salesforce's side effects of a disable.
    let state = org.sim.org();
    let user = state
        .user(&done_user)
        .unwrap_or_else(|| panic!("user gone"));
    assert!(!user.is_portal_enabled && !user.is_active && user.contact_id.is_none());
    assert!(state.user(&vip_user).is_some_and(|u| u.is_portal_enabled));
    assert_eq!(state.invocations.len(), 2);
    let rows = results(org.dir.path(), "out/results.csv");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["contact_id"], done);
    assert_eq!(rows[0]["user_id"], done_user);
    assert_eq!(rows[0]["status"], "DISABLED");
    assert!(rows[0]["username"].starts_with("user"));
    assert!(rows[0]["at"].ends_with('Z'));
    assert_eq!(rows[1]["status"], "FAILED");
    assert_eq!(rows[1]["error_code"], "FIELD_CUSTOM_VALIDATION_EXCEPTION");
    assert_eq!(org.sim.rest_calls("describe").len(), 1);
    assert_eq!(org.sim.violations(), Vec::<String>::new());
}

#[test]
fn run_exits_0_when_all_are_done_and_running_again_is_harmless() {
    let mut data = OrgData::default();
    let contacts: Vec<String> = (0..3).map(|_| data.portal_contact().0).collect();
    let org = Org::start(data);
    let file = org.contacts(&contacts.iter().map(String::as_str).collect::<Vec<_>>());
    org.offboard(&["run", "--contacts", &file])
        .code(0)
        .has("3 DISABLED.");
    let after_first = org.sim.org().snapshot();
    let again = org.offboard(&["run", "--contacts", &file, "--json"]);
    again.code(0);
    let doc = again.json();
    assert_eq!(doc["result"]["summary"]["NO_PORTAL_USER"], 3);
    assert!(
        doc["result"]["contacts"][0]["note"]
            .as_str()
            .is_some_and(|n| n.contains("running again changed nothing"))
    );
    assert_eq!(
        org.sim.org().snapshot(),
        after_first,
        "the second run changed something"
    );
}

#[test]
fn run_in_deactivate_mode() {
    let mut data = OrgData::default();
    data.disable = false;
    let (active, active_user) = data.portal_contact();
    let inactive = data.add_contact();
    data.add_user(Some(&inactive), "PowerPartner", false, true);
    let org = Org::start(data);
    org.config("mode = \"deactivate\"\n");
    let file = org.contacts(&[&active, &inactive]);
    org.offboard(&["run", "--contacts", &file])
        .code(0)
        .has(&format!("{active}  DEACTIVATED"))
        .has(&format!("{inactive}  ALREADY_INACTIVE"));
    let state = org.sim.org();
    let user = state
        .user(&active_user)
        .unwrap_or_else(|| panic!("user gone"));
    assert!(
        !user.is_active
            && user.is_portal_enabled
            && user.contact_id.as_deref() == Some(active.as_str())
    );
}

#[test]
fn a_400_answer_is_read_as_per_input_results() {
    let mut data = OrgData::default();
    let (ok, _) = data.portal_contact();
    let (locked, locked_user) = data.portal_contact();
    data.input_errors.insert(locked.clone());
    let org = Org::start(data);
    let file = org.contacts(&[&ok, &locked]);
    let out = org.offboard(&["run", "--contacts", &file, "--json"]);
    out.code(68);
    let doc = out.json();
    assert_eq!(doc["status"], 68);
    let contacts = &doc["result"]["contacts"];
    assert_eq!(contacts[0]["status"], "DISABLED");
    assert_eq!(contacts[1]["status"], "FAILED");
    assert_eq!(contacts[1]["errorCode"], "UNKNOWN_EXCEPTION");
    assert_eq!(contacts[1]["userId"], locked_user.as_str());
    assert_eq!(org.sim.rest_calls("invoke")[0].status, 400);
    assert_eq!(
        org.sim.org().invocations.len(),
        1,
        "a 400 with results is never resent"
    );
}

#[test]
fn an_apex_exception_fails_every_input_and_changes_nothing() {
    let mut data = OrgData::default();
    let (a, _) = data.portal_contact();
    let (b, _) = data.portal_contact();
    data.faults
        .push(RestInjection::new("invoke", RestFault::ApexException));
    let org = Org::start(data);
    let before = org.sim.org().snapshot();
    let file = org.contacts(&[&a, &b]);
    org.offboard(&["run", "--contacts", &file])
        .code(68)
        .has("UNKNOWN_EXCEPTION: An Apex error occurred: System.NullPointerException")
        .has("2 FAILED");
    assert_eq!(org.sim.org().snapshot(), before);
}

#[test]
fn run_without_the_deployed_action_fails_with_the_fix_and_sends_nothing() {
    for (name, change) in [
        (
            "not deployed",
            (|d: &mut OrgData| d.action = None) as fn(&mut OrgData),
        ),
        ("no class access", |d: &mut OrgData| d.class_access = false),
    ] {
        let mut data = OrgData::default();
        let (c, _) = data.portal_contact();
        change(&mut data);
        let org = Org::start(data);
        let file = org.contacts(&[&c]);
        let out = org.offboard(&["run", "--contacts", &file]);
        out.code(1);
        for want in [
            "no Invocable action `PortalUserDisablerInvocable`",
            "`portal-disable deploy`",
            "permission set `PortalUserDisabler`",
        ] {
            assert!(out.stderr.contains(want), "{name}: {want}\n{}", out.stderr);
        }
        assert!(org.sim.org().invocations.is_empty(), "{name}");
    }
    let mut data = OrgData::default();
    let (c, _) = data.portal_contact();
    data.action_inputs = vec!["ids"];
    let org = Org::start(data);
    let out = org.offboard(&["run", "--contacts", &org.contacts(&[&c])]);
    out.code(1);
    assert!(
        out.stderr.contains("another or an older version"),
        "{}",
        out.stderr
    );
    assert!(org.sim.org().invocations.is_empty());
}

#[test]
fn a_refused_permission_names_the_permission_set() {
    let mut data = OrgData::default();
    let (c, _) = data.portal_contact();
    data.faults.push(RestInjection::new(
        "invoke",
        RestFault::Error {
            status: 403,
            code: "INSUFFICIENT_ACCESS",
            retry_after: None,
        },
    ));
    let org = Org::start(data);
    let out = org.offboard(&[
        "run",
        "--contacts",
        &org.contacts(&[&c]),
        "--results",
        "r.csv",
        "--json",
    ]);
    out.code(1);
    let doc = out.json();
    assert_eq!(doc["error"]["name"], "INSUFFICIENT_ACCESS");
    let message = doc["error"]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("assign the permission set `PortalUserDisabler`"),
        "{message}"
    );
    assert!(message.contains("the others not changed"), "{message}");
    // Refused as a whole: nothing ran, nothing is marked in flight.
    assert!(results(org.dir.path(), "r.csv").is_empty());
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let org = Org::start(OrgData::default());
    let cases: [(&str, &[&str], &str); 6] = [
        (
            "ContactId\n001D000000IRFmaIAH\nhello\n",
            &[],
            "contacts.csv:2: `001D000000IRFmaIAH` is an Account Id, not a Contact Id",
        ),
        ("", &[], "lists no Contacts"),
        ("003D0000001aH2A\n", &["--chunk-size", "0"], "--chunk-size"),
        (
            "003D0000001aH2A\n",
            &["--resume", "nope.csv"],
            "omit --resume on a first run",
        ),
        ("003D0000001aH2A\n", &["--results", "."], "--results `.`"),
        ("Name,Email\nx,y\n", &[], "no column is named ContactId"),
    ];
    for (text, extra, want) in cases {
        std::fs::write(org.dir.path().join("contacts.csv"), text).expect("writing a test file");
        let mut args = vec!["run", "--contacts", "contacts.csv"];
        args.extend_from_slice(extra);
        let out: Run = org.offboard(&args);
        out.code(2);
        assert!(out.stderr.contains(want), "{want}\n{}", out.stderr);
    }
    let json = org.offboard(&["preview", "--contacts", "contacts.csv", "--json"]);
    json.code(2);
    assert_eq!(json.json()["error"]["name"], "InvalidContacts");
    assert!(
        org.sim.requests().is_empty(),
        "sent: {:?}",
        org.sim.requests()
    );
}

#[test]
fn a_nearly_spent_api_allowance_stops_before_a_chunk() {
    let mut data = OrgData::default();
    let contacts: Vec<String> = (0..4).map(|_| data.portal_contact().0).collect();
    data.api_usage = (0, 9);
    let org = Org::start(data);
    let file = org.contacts(&contacts.iter().map(String::as_str).collect::<Vec<_>>());
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
    assert!(out.stderr.contains("nearly spent"), "{}", out.stderr);
    let rows = results(org.dir.path(), "r.csv");
    assert!(!rows.is_empty() && rows.len() < 4, "{rows:?}");
    assert!(rows.iter().all(|r| r["status"] == "DISABLED"));
    assert!(Path::new(&org.dir.path().join("r.csv")).exists());
}
