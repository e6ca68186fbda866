//! Today's Exastro (2.4 - 2.7): the vendor's procedure per version, maintenance mode through
//! `kubectl port-forward` to platform-auth's administrator listener (served by the fake API server to the
//! real kubectl), the drain of running jobs, and the mongo StatefulSet trap.

mod common;

use common::Cluster;

const NS: &str = "exastro";

fn cluster(installed: &str, available: &str) -> Cluster {
    Cluster::exastro(&["--installed", installed, "--available", available])
}

/// `run -n exastro -f exastro.yaml --yes EXTRA`.
fn upgrade<'a>(cluster: &'a Cluster, extra: &[&str]) -> common::Run<'a> {
    let mut args = vec!["run", "-n", NS, "-f", "exastro.yaml", "--yes"];
    args.extend(extra);
    cluster.exastro_upgrade().args(&args)
}

fn setting(cluster: &Cluster) -> (String, String) {
    let show = cluster.platform(&["show"]);
    let s = |k: &str| show["setting"][k].as_str().unwrap_or("?").to_string();
    (s("backyard_execute_stop"), s("data_update_stop"))
}

#[test]
fn from_2_6_to_2_7_the_jobs_drain_in_maintenance_mode_and_none_is_killed() {
    let cluster = cluster("1.6.8", "1.7.5");
    // jobs keep arriving until backyard execution stops: whatever the machine's pace, some run then
    cluster.platform(&["set", "--arrivals-every", "0.5", "--job-seconds", "3"]);
    let claim = common::runs::mongo_claim_uid(&cluster);
    let before = cluster.replicas(NS);
    let out = upgrade(&cluster, &["-v", "-o", "json"]).expect(0);
    let json = out.json();
    assert_eq!(json["procedure"]["procedure"], "maintenance", "{out:?}");
    assert_eq!(json["procedure"]["stop"], "all");
    let drained = json["maintenance"]["drained_jobs"].as_u64().unwrap_or(0);
    assert!(
        drained >= 1,
        "no job was running when backyard execution stopped: {out:?}"
    );
    let show = cluster.platform(&["show"]);
    assert!(
        show["jobs_ended"].as_u64().unwrap_or(0) >= drained,
        "{show}"
    );
    assert_eq!(
        show["jobs_killed"], 0,
        "the stop killed running jobs: {show}"
    );
    assert_eq!(
        setting(&cluster),
        ("0".into(), "0".into()),
        "maintenance mode was not released"
    );
    // every maintenance call is shown with method, URL and body; no credential is
    assert!(
        out.stderr.contains(r#"PATCH http://127.0.0.1:"#),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(r#"{"backyard_execute_stop":"1"}"#),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("kubectl port-forward svc/platform-auth :8001"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("Ch@ngeMe") && !out.stdout.contains("Basic "),
        "credentials leaked"
    );
    // the mongo trap: re-created by helm, the same claim kept
    assert_eq!(
        common::runs::mongo_claim_uid(&cluster),
        claim,
        "the mongo data claim was re-created"
    );
    let summary = json["steps"].to_string();
    assert!(
        summary.contains("statefulset/mongo re-created"),
        "{summary}"
    );
    assert_eq!(cluster.replicas(NS), before, "counts not put back");
    assert!(!cluster.configmap_exists(NS, "exastro-upgrade-journal"));
}

#[test]
fn from_2_4_to_2_6_the_vendors_2_6_procedure_is_followed_and_said() {
    let cluster = cluster("1.4.12", "1.6.8");
    let out = upgrade(&cluster, &[]).expect(0);
    assert!(out.stdout.contains("2.6+ procedure"), "{out:?}");
    assert!(
        out.stdout
            .contains("maintenance mode (via http://127.0.0.1:"),
        "{out:?}"
    );
    assert_eq!(setting(&cluster), ("0".into(), "0".into()));
}

#[test]
fn an_upgrade_from_2_1_to_2_4_is_refused_with_the_vendors_reason_and_nothing_changes() {
    let cluster = cluster("1.0.1", "1.4.12");
    let out = upgrade(&cluster, &[]).expect(2);
    assert!(
        out.stderr.contains("cannot be upgraded in place"),
        "{out:?}"
    );
    assert!(
        cluster.mutating_calls().is_empty(),
        "{:?}",
        cluster.mutating_calls()
    );
}

#[test]
fn bad_credentials_a_colon_password_and_a_garbage_job_count_each_stop_before_any_change() {
    let cluster = cluster("1.6.8", "1.7.5");
    let run = |env: &[(&str, &str)]| {
        let mut run = upgrade(&cluster, &[]);
        for (k, v) in env {
            run = run.env(k, v);
        }
        run.expect(2)
    };
    let wrong = run(&[
        ("EXASTRO_ADMIN_USER", "admin"),
        ("EXASTRO_ADMIN_PASSWORD", "wrong"),
    ]);
    assert!(
        wrong
            .stderr
            .contains("refused the administrator credentials"),
        "{wrong:?}"
    );
    assert!(
        !wrong.stderr.contains("wrong"),
        "the password was printed: {wrong:?}"
    );
    let colon = run(&[
        ("EXASTRO_ADMIN_USER", "admin"),
        ("EXASTRO_ADMIN_PASSWORD", "pa:ss"),
    ]);
    assert!(colon.stderr.contains("contains ':'"), "{colon:?}");
    cluster.platform(&["set", "--execute-check", "garbage"]);
    let garbage = run(&[]);
    assert!(
        garbage.stderr.contains("without a job count"),
        "{garbage:?}"
    );
    assert!(
        cluster.mutating_calls().is_empty(),
        "{:?}",
        cluster.mutating_calls()
    );
    assert_eq!(setting(&cluster), ("0".into(), "0".into()));
}

#[test]
fn a_maintenance_mode_that_was_on_stays_on_and_plan_shows_every_call() {
    let cluster = cluster("1.6.8", "1.7.5");
    cluster.platform(&["set", "--backyard-execute-stop", "1"]);
    let plan = cluster
        .exastro_upgrade()
        .args(&["plan", "-n", NS, "-f", "exastro.yaml"])
        .expect(0);
    for shown in [
        r#"PATCH 'http://127.0.0.1:<local port of the port-forward>/api/platform/maintenance-mode-setting' '{"backyard_execute_stop":"1"}'"#,
        "GET 'http://127.0.0.1:<local port of the port-forward>/api/ita/backyard-execute-check/'",
        r#"'{"backyard_execute_stop":"1","data_update_stop":"0"}'"#,
        "kubectl delete statefulset/mongo --cascade=orphan",
    ] {
        assert!(
            plan.stdout.contains(shown),
            "plan lacks {shown}:\n{}",
            plan.stdout
        );
    }
    upgrade(&cluster, &[]).expect(0);
    assert_eq!(
        setting(&cluster),
        ("1".into(), "0".into()),
        "a setting that was on before the run must stay on"
    );
}

#[test]
fn maintenance_mode_off_says_what_it_risks_and_the_test_bed_counts_the_killed_jobs() {
    let cluster = cluster("1.6.8", "1.7.5");
    cluster.platform(&["set", "--jobs", "3", "--job-seconds", "600"]);
    let out = upgrade(&cluster, &["--maintenance-mode", "off"]).expect(0);
    assert!(
        out.stdout.contains("risk: --maintenance-mode off"),
        "{out:?}"
    );
    assert_eq!(cluster.platform(&["show"])["jobs_killed"], 3);
}

#[test]
fn jobs_that_outlast_the_drain_timeout_end_the_run_with_the_setting_put_back() {
    let cluster = cluster("1.6.8", "1.7.5");
    cluster.platform(&["set", "--jobs", "1", "--job-seconds", "600"]);
    let before = cluster.replicas(NS);
    let out = upgrade(&cluster, &["--drain-timeout", "2s"]).expect(1);
    assert!(
        out.stderr
            .contains("1 job(s) still running after --drain-timeout 2s"),
        "{out:?}"
    );
    assert_eq!(setting(&cluster), ("0".into(), "0".into()));
    assert_eq!(cluster.replicas(NS), before);
    assert_eq!(cluster.platform(&["show"])["jobs_killed"], 0);
    assert!(!cluster.configmap_exists(NS, "exastro-upgrade-journal"));
}

/// Writes of a run so far: its tool calls that change something (lease renewals aside) and its PATCHes of
/// the maintenance setting (`platform.log` of the fake platform).
fn writes(cluster: &Cluster) -> usize {
    let patches = cluster
        .admin_calls()
        .iter()
        .filter(|(_, method, ..)| method == "PATCH")
        .count();
    let calls = cluster
        .mutating_calls()
        .iter()
        .filter(|call| !call.contains("lease.json"))
        .count();
    patches + calls
}

/// The sweep below kills a run after each of its writes: a full run must not have more than it covers.
const WRITES_OF_A_RUN: usize = 27;

#[test]
fn the_kill_sweep_covers_every_write_of_a_run() {
    let cluster = cluster("1.6.8", "1.7.5");
    common::runs::set_exastro_durations(&cluster, 300);
    cluster.platform(&["set", "--jobs", "1", "--job-seconds", "1"]);
    cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    let n = writes(&cluster);
    assert!(
        (20..=WRITES_OF_A_RUN).contains(&n),
        "a full run made {n} writes; the sweep covers {WRITES_OF_A_RUN}: {:#?}",
        cluster.mutating_calls()
    );
}

/// kill -9 right after the `nth` write of a 2.6 → 2.7 run, then `restore` from a fresh HOME: every count
/// back, maintenance mode back to what it was, the lock released, no job killed, the mongo claim kept.
fn kill_after_write_then_restore(nth: usize) {
    let cluster = cluster("1.6.8", "1.7.5");
    common::runs::set_exastro_durations(&cluster, 300);
    cluster.platform(&["set", "--jobs", "1", "--job-seconds", "1"]);
    let (before, claim) = (
        cluster.replicas(NS),
        common::runs::mongo_claim_uid(&cluster),
    );
    let mut run = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    common::runs::wait_until(&cluster, &mut run, &format!("write {nth}"), |c| {
        writes(c) >= nth
    });
    common::runs::signal(&run, "-KILL");
    common::runs::finish(run);
    let out = common::runs::restore_elsewhere(&cluster).run();
    assert!(out.code == 0, "killed after write {nth}: {out:?}");
    assert_eq!(
        cluster.replicas(NS),
        before,
        "killed after write {nth}: {out:?}"
    );
    assert_eq!(
        setting(&cluster),
        ("0".into(), "0".into()),
        "killed after write {nth}: {out:?}"
    );
    assert!(
        !cluster.configmap_exists(NS, "exastro-upgrade-journal"),
        "killed after write {nth}"
    );
    assert_eq!(
        cluster.platform(&["show"])["jobs_killed"],
        0,
        "killed after write {nth}"
    );
    assert_eq!(
        common::runs::mongo_claim_uid(&cluster),
        claim,
        "killed after write {nth}: the mongo claim was re-created"
    );
}

crate::kill_points! {
    killed_after_write_1_the_journal: 1,
    killed_after_write_2_backyard_execution_stopped: 2,
    killed_after_write_3_data_updates_stopped: 3,
    killed_after_write_4: 4,
    killed_after_write_5: 5,
    killed_after_write_6: 6,
    killed_after_write_7: 7,
    killed_after_write_8: 8,
    killed_after_write_9: 9,
    killed_after_write_10: 10,
    killed_after_write_11: 11,
    killed_after_write_12: 12,
    killed_after_write_13: 13,
    killed_after_write_14: 14,
    killed_after_write_15: 15,
    killed_after_write_16: 16,
    killed_after_write_17: 17,
    killed_after_write_18: 18,
    killed_after_write_19: 19,
    killed_after_write_20: 20,
    killed_after_write_21: 21,
    killed_after_write_22: 22,
    killed_after_write_23: 23,
    killed_after_write_24: 24,
    killed_after_write_25: 25,
    killed_after_write_26: 26,
    killed_after_write_27: 27,
}

/// The admin site's process, stopped when the test ends.
struct Site(std::process::Child);

impl Drop for Site {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `fakecluster admin-site` with TLS: the administrator site as the vendor exposes it (Ingress or
/// NodePort), its certificate signed by a private CA. Returns the site, its URL and the CA's file.
fn https_admin_site(cluster: &Cluster) -> (Site, String, std::path::PathBuf) {
    let pki = common::pki::pki(cluster.path());
    let child = std::process::Command::new(common::fakecluster_bin())
        .arg("admin-site")
        .arg("--tls-cert")
        .arg(&pki.cert)
        .arg("--tls-key")
        .arg(&pki.key)
        .args(["--parent", &std::process::id().to_string()])
        .env("FAKE_CLUSTER_DIR", cluster.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start the admin site");
    let file = cluster.path().join("admin-site.addr");
    let started = std::time::Instant::now();
    while !file.exists() {
        assert!(
            started.elapsed().as_secs() < 10,
            "the admin site did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let addr = std::fs::read_to_string(file).unwrap();
    (Site(child), format!("https://{}", addr.trim()), pki.ca)
}

#[test]
fn through_an_https_admin_site_with_a_private_ca_no_port_forward_is_started() {
    let cluster = cluster("1.6.8", "1.7.5");
    let (_site, url, ca) = https_admin_site(&cluster);
    let ca = ca.to_str().unwrap();
    let out = upgrade(&cluster, &["--admin-url", &url, "--admin-ca", ca, "-v"]).expect(0);
    assert!(
        out.stderr.contains(&format!(
            "PATCH {url}/api/platform/maintenance-mode-setting"
        )),
        "{out:?}"
    );
    assert!(
        !cluster
            .calls()
            .iter()
            .any(|c| c.args.first().is_some_and(|a| a == "port-forward")),
        "a port-forward was started although --admin-url was given"
    );
    assert_eq!(setting(&cluster), ("0".into(), "0".into()));
    let status = cluster
        .exastro_upgrade()
        .args(&["status", "-n", NS, "--admin-url", &url, "--admin-ca", ca])
        .expect(0);
    assert!(
        status
            .stdout
            .contains("maintenance mode: backyard execution stop off"),
        "{status:?}"
    );
}

#[test]
fn an_https_admin_site_whose_ca_is_not_given_is_refused_before_any_change() {
    let cluster = cluster("1.6.8", "1.7.5");
    let (_site, url, _ca) = https_admin_site(&cluster);
    let out = upgrade(&cluster, &["--admin-url", &url]).expect(2);
    assert!(
        out.stderr.contains("maintenance mode:")
            && out.stderr.contains("UnknownIssuer")
            && out.stderr.contains("--admin-ca FILE"),
        "{out:?}"
    );
    assert!(
        cluster.mutating_calls().is_empty(),
        "{:?}",
        cluster.mutating_calls()
    );
}

#[test]
fn an_unreachable_administrator_port_is_one_line_before_any_change() {
    let cluster = cluster("1.6.8", "1.7.5");
    cluster.tool("kubectl", &["delete", "service", "platform-auth", "-n", NS]);
    cluster.clear_calls();
    let out = upgrade(&cluster, &[]).expect(2);
    let line = out
        .stderr
        .lines()
        .find(|l| l.contains("maintenance mode:"))
        .unwrap_or_else(|| panic!("no maintenance line: {out:?}"));
    assert!(
        line.contains("could not reach platform-auth's administrator port")
            && line.contains("platform-auth"),
        "{line}"
    );
    assert!(
        cluster.mutating_calls().is_empty(),
        "{:?}",
        cluster.mutating_calls()
    );
}

#[test]
fn ctrl_c_during_the_drain_puts_maintenance_mode_back_and_nothing_was_stopped() {
    let cluster = cluster("1.6.8", "1.7.5");
    cluster.platform(&["set", "--jobs", "1", "--job-seconds", "600"]);
    let before = cluster.replicas(NS);
    let mut run = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    common::runs::wait_until(&cluster, &mut run, "backyard execution stopped", |c| {
        setting(c).0 == "1"
    });
    common::runs::signal(&run, "-INT");
    let out = common::runs::finish(run);
    assert_eq!(out.code, 130, "{out:?}");
    assert_eq!(setting(&cluster), ("0".into(), "0".into()), "{out:?}");
    assert_eq!(cluster.replicas(NS), before);
    assert_eq!(cluster.platform(&["show"])["jobs_killed"], 0);
    assert!(
        !cluster.configmap_exists(NS, "exastro-upgrade-journal"),
        "{out:?}"
    );
}
