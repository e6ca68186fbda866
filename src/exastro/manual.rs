//! The man pages' steps, examples, files and environment for `kubectl exastro-upgrade`.

use crate::manual::{Manual, Page, COMMON_ENVIRONMENT};

const RUN_STEPS: &[&str] = &[
    "The runbook, in order. Nothing changes before the first change step, and not before the confirmation (or --yes). The vendor's procedure follows the versions (the summary says which and why): 2.0-2.3 stop platform-auth and the ita-by-* backyards; 2.4-2.5 stop every Deployment and StatefulSet; 2.6 and later also put the system into maintenance mode first (--stop and --maintenance-mode override it). An upgrade from 2.2.1 or earlier to 2.3 or later is refused: the vendor's procedure is a reinstall.",
    "1. Preflight checks, all at once, every problem reported together: helm and kubectl installed; a kubeconfig and a context; the cluster answers; the namespace and the release exist and the release is deployed; both ENCRYPT_KEY secrets exist or the values file sets the keys; the values file keeps every setting the release has (helm -f replaces them all); no other run holds the namespace; `helm repo update` and the target chart version; the procedure for the versions; with maintenance mode, the administrator credentials (one authenticated GET through `kubectl port-forward svc/platform-auth :8001`, or --admin-url), the current setting and the running-job count.",
    "2. Values drift: keys new in the target chart, keys it no longer knows, defaults that changed.",
    "3. Recording replicas: the count of every object the procedure stops and the release's ita-by-* CronJobs; a backup of the ENCRYPT_KEYs, values, manifest, history and counts; `helm upgrade --dry-run=server` to find the counts helm's three-way merge would reset and the StatefulSets it cannot patch (the mongo claim-template label: deleted with --cascade=orphan before the upgrade).",
    "4. Maintenance mode (2.6+): the journal is created, then PATCH /api/platform/maintenance-mode-setting backyard_execute_stop=1, the running jobs drain (GET /api/ita/backyard-execute-check/ until 0, bounded by --drain-timeout), then data_update_stop=1.",
    "5. Stopping: the journal ConfigMap exastro-upgrade-journal is created unless step 4 did (it is the lock, it holds the recorded counts, the maintenance setting to put back and a lease renewed every 3 s), the stop set is scaled to 0, the CronJobs are suspended, and the run waits until their pods are gone.",
    "6. Upgrading: StatefulSets helm cannot patch are deleted with --cascade=orphan (pods and claims stay), then `helm upgrade RELEASE CHART -f FILE --version V --timeout T`; with --stop backyard the backyards stay at 0 while the migrations run; re-created StatefulSets are checked to use the same claims.",
    "7. Waiting for the ita-migration-* and platform-migration-* pods of the upgrade to succeed (their logs are shown when one fails).",
    "8. Putting back every recorded count and CronJob setting (platform-auth last when it is still down).",
    "9. Maintenance mode (2.6+): once the restored pods run (some backyards are never Ready while it is on), the setting goes back to what it was before the run; then the journal is deleted.",
    "10. Verifying that every workload is ready and every pod is running.",
    "A failure after the first change puts the recorded counts and the maintenance setting back before exiting (exit 1); if that fails too, the message names the command that does (exit 3), usually `kubectl exastro-upgrade restore`.",
];

const EXASTRO_PAGES: &[Page] = &[
    Page {
        command: "",
        description: &["Each subcommand has its own page: kubectl-exastro_upgrade-run(1), -plan(1), -values-diff(1), -status(1), -restore(1), -backup(1)."],
        examples: &[
            ("Preview the upgrade, then run it", "kubectl exastro-upgrade plan -n exastro -f exastro.yaml\nkubectl exastro-upgrade run -n exastro -f exastro.yaml"),
        ],
    },
    Page {
        command: "run",
        description: RUN_STEPS,
        examples: &[
            ("Upgrade to the newest chart, asking before the first change", "kubectl exastro-upgrade run -n exastro -f exastro.yaml"),
            ("Upgrade to a given chart version without asking, showing every command", "kubectl exastro-upgrade run -n exastro -f exastro.yaml --version 2.5.0 --yes -v"),
            ("Stop every Deployment and StatefulSet of the namespace, not only the backyards", "kubectl exastro-upgrade run -n exastro -f exastro.yaml --stop all"),
            ("2.6+: reach the administrator site directly instead of a port-forward, with the admin's current password", "EXASTRO_ADMIN_USER=admin EXASTRO_ADMIN_PASSWORD=... kubectl exastro-upgrade run -n exastro -f exastro.yaml --admin-url https://exastro-suite-mng.example.com --admin-ca ca.pem"),
        ],
    },
    Page {
        command: "plan",
        description: &["Runs the read-only steps (1 to 3) for real and prints every command steps 4 to 8 would run, shell-quoted; values made at run time (the journal's run id, time and lease) are shown as <placeholders>. Changes nothing. `run --dry-run` does the same."],
        examples: &[
            ("The whole plan as JSON", "kubectl exastro-upgrade plan -n exastro -f exastro.yaml -o json"),
        ],
    },
    Page {
        command: "values-diff",
        description: &["Compares the values file with the release's current values (what helm -f would drop) and with the target chart's defaults (new keys, unknown keys, changed defaults). Changes nothing."],
        examples: &[
            ("Before an upgrade to 2.5.0", "kubectl exastro-upgrade values-diff -n exastro -f exastro.yaml --version 2.5.0"),
            ("Start a values file from what the release has now", "helm get values exastro -n exastro -o yaml > exastro.yaml"),
        ],
    },
    Page {
        command: "status",
        description: &["The release, the chart versions installed and available, the objects a run would stop with their counts, and any unfinished run with whether it is alive. Exit 2 when the namespace or the release does not exist."],
        examples: &[("For a script", "kubectl exastro-upgrade status -n exastro -o json")],
    },
    Page {
        command: "restore",
        description: &["Puts back the replica counts and CronJob settings an unfinished run recorded in the journal ConfigMap, and the maintenance-mode setting from before the run when it changed it (through the same administrator access as run), then deletes the journal. Refuses while the run that wrote it is alive (its lease is renewed), waits for a release helm left pending-*, and skips objects changed by hand since unless --force."],
        examples: &[
            ("What would be put back", "kubectl exastro-upgrade restore -n exastro --dry-run"),
            ("Put it back without asking", "kubectl exastro-upgrade restore -n exastro --yes"),
        ],
    },
    Page {
        command: "backup",
        description: &["Writes both ENCRYPT_KEYs (decoded), the release's values, manifest and history, and the replica counts into a new private directory (mode 0700, files 0600). Prints where, never the keys. `run` makes the same backup before its first change."],
        examples: &[("Into a directory of your choice", "kubectl exastro-upgrade backup -n exastro --dir /secure/exastro-backup")],
    },
    Page {
        command: "completion",
        description: &["Prints a static completion script. Interactive completion through `kubectl <TAB>` uses the kubectl_complete-exastro_upgrade helper instead."],
        examples: &[("bash", "source <(kubectl exastro-upgrade completion bash)")],
    },
];

const ENVIRONMENT: &[(&str, &str)] = &[
    ("KUBECONFIG", COMMON_ENVIRONMENT[0].1),
    ("XDG_STATE_HOME", COMMON_ENVIRONMENT[1].1),
    ("PATH", COMMON_ENVIRONMENT[2].1),
    ("CI", COMMON_ENVIRONMENT[3].1),
    ("EXASTRO_ADMIN_USER, EXASTRO_ADMIN_PASSWORD", "The system administrator (Keycloak master realm) for maintenance mode, when the chart's Secret platform-secret-keycloak (SYSTEM_ADMIN, SYSTEM_ADMIN_PASSWORD) is stale. Never printed; a password with ':' cannot pass platform-auth's basic authentication."),
];

pub(crate) const MANUAL: Manual = Manual {
    pages: EXASTRO_PAGES,
    files: &[
        ("exastro.yaml", "The values file the release was installed with (-f/--values; default in the current directory)."),
        ("ConfigMap exastro-upgrade-journal", "In the release's namespace, while a run is under way: the lock, the recorded counts and CronJob settings, the phase, and the run's lease. `restore` reads it."),
        ("$XDG_STATE_HOME/upgrade-plugins/backups/", "Backups of `backup` and of every run (default ~/.local/state/upgrade-plugins/backups), one private directory each."),
        ("$XDG_STATE_HOME/upgrade-plugins/exastro-*.json", "A local copy of the journal of the last run per context and namespace."),
    ],
    environment: ENVIRONMENT,
    see_also: &["kubectl(1)", "helm(1)", "oc-3scale_upgrade(1)"],
};
