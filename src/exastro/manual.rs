//! The man pages' steps, examples, files and environment for `kubectl exastro-upgrade`.

use crate::manual::{Manual, Page, COMMON_ENVIRONMENT};

const RUN_STEPS: &[&str] = &[
    "The runbook, in order. Nothing changes before step 4, and not before the confirmation (or --yes):",
    "1. Preflight checks, all at once, every problem reported together: helm and kubectl installed; a kubeconfig and a context; the cluster answers; the namespace and the release exist and the release is deployed; both ENCRYPT_KEY secrets exist or the values file sets the keys; the values file keeps every setting the release has (helm -f replaces them all); no other run holds the namespace; `helm repo update` and the target chart version.",
    "2. Values drift: keys new in the target chart, keys it no longer knows, defaults that changed.",
    "3. Recording replicas: the count of platform-auth and of every ita-by-* Deployment (every Deployment and StatefulSet with --stop all) and the release's ita-by-* CronJobs; a backup of the ENCRYPT_KEYs, values, manifest, history and counts; `helm upgrade --dry-run=server` to find the counts helm's three-way merge would reset.",
    "4. Stopping: the journal ConfigMap exastro-upgrade-journal is created (it is the lock, it holds the recorded counts and a lease renewed every 3 s), the stop set is scaled to 0, the CronJobs are suspended, and the run waits until their pods are gone.",
    "5. Upgrading: `helm upgrade RELEASE CHART -f FILE --version V --timeout T`; the backyards stay at 0 while the migrations run.",
    "6. Waiting for the ita-migration-* and platform-migration-* pods of the upgrade to succeed (their logs are shown when one fails).",
    "7. Putting back every recorded count and CronJob setting (platform-auth last when it is still down), then deleting the journal.",
    "8. Verifying that every workload is ready and every pod is running.",
    "A failure after step 4 puts the recorded counts back before exiting (exit 1); if that fails too, the message names the command that does (exit 3), usually `kubectl exastro-upgrade restore`.",
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
        description: &["Puts back the replica counts and CronJob settings an unfinished run recorded in the journal ConfigMap, then deletes the journal. Refuses while the run that wrote it is alive (its lease is renewed), waits for a release helm left pending-*, and skips objects changed by hand since unless --force."],
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

pub(crate) const MANUAL: Manual = Manual {
    pages: EXASTRO_PAGES,
    files: &[
        ("exastro.yaml", "The values file the release was installed with (-f/--values; default in the current directory)."),
        ("ConfigMap exastro-upgrade-journal", "In the release's namespace, while a run is under way: the lock, the recorded counts and CronJob settings, the phase, and the run's lease. `restore` reads it."),
        ("$XDG_STATE_HOME/upgrade-plugins/backups/", "Backups of `backup` and of every run (default ~/.local/state/upgrade-plugins/backups), one private directory each."),
        ("$XDG_STATE_HOME/upgrade-plugins/exastro-*.json", "A local copy of the journal of the last run per context and namespace."),
    ],
    environment: COMMON_ENVIRONMENT,
    see_also: &["kubectl(1)", "helm(1)", "oc-3scale_upgrade(1)"],
};
