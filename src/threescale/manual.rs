//! The man pages' steps, examples, files and environment for `oc 3scale-upgrade`.

use crate::manual::{Manual, Page, COMMON_ENVIRONMENT};

const PATCH_STEPS: &[&str] = &[
    "The image upgrade of a template-based 3scale 2.9 install to 2.10, as the guide describes it. Nothing changes before step 2, and not before the confirmation (or --yes):",
    "1. Preflight checks: oc installed and logged in; the project holds 3scale; the database (from --db, or detected from the DeploymentConfigs); every image stream and DeploymentConfig of the selected components; for Oracle, the system-oracle build of the new version.",
    "2. Tags: the new image stream tag of each component is added (one JSON patch of the image stream, as the guide's `oc patch imagestream`) and its import waited for.",
    "3. One step per component: each DeploymentConfig's ImageChange trigger is moved from the old tag to the new one in one guarded JSON patch (it changes nothing if the trigger moved meanwhile), one DC after another, and each redeploy is waited for until the new replication controller is complete.",
    "4. Verifying: every selected DC is on its new trigger and rolled out.",
    "Oracle: with --oracle-build-dir DIR (the templates' amp/system-oracle directory with the three Oracle Instant Client zips in oracle-client-files/), the system-oracle image amp-system:2.10-oracle is built first, before any tag or trigger: the preflight checks the zips, the Dockerfile, the pull secret threescale-registry-auth and the BuildConfig 3scale-amp-system-oracle; the BuildConfig is brought to 2.10 in one guarded JSON patch (created from the template when absent); one `oc start-build --from-dir DIR` is followed to its end; its image must be what the tag resolves to. A build already running is waited for, one already done is not redone. The database side (Oracle 19c, max_string_size=extended, compatible='12.2.0.1') is the DBA's: never touched.",
    "Nothing is switched back automatically after a failure (the new system image may already have migrated the database): the end of the run lists where each DC stands and prints the guarded commands that continue or switch back.",
];

const THREESCALE_PAGES: &[Page] = &[
    Page {
        command: "",
        description: &["Each subcommand has its own page: oc-3scale_upgrade-patch-images(1), -plan(1), -status(1)."],
        examples: &[("Preview, then upgrade", "oc 3scale-upgrade plan -n 3scale\noc 3scale-upgrade patch-images -n 3scale")],
    },
    Page {
        command: "patch-images",
        description: PATCH_STEPS,
        examples: &[
            ("With an Oracle database, building the system-oracle image first", "oc 3scale-upgrade patch-images -n 3scale --db oracle --oracle-build-dir ./amp/system-oracle"),
            ("Only the system component, without asking", "oc 3scale-upgrade patch-images -n 3scale --component amp-system --yes"),
            ("From a mirror registry", "oc 3scale-upgrade patch-images -n 3scale --registry registry.example.com"),
        ],
    },
    Page {
        command: "plan",
        description: &["Runs the preflight for real and prints every command the other steps would run, shell-quoted. Changes nothing. `patch-images --dry-run` does the same."],
        examples: &[("As JSON", "oc 3scale-upgrade plan -n 3scale -o json")],
    },
    Page {
        command: "build-oracle-image",
        description: &["Only the guide's Oracle first step: builds amp-system:2.10-oracle in the project from DIR (the templates' amp/system-oracle with the Instant Client zips in oracle-client-files/), as patch-images --oracle-build-dir does before its tags. Re-run safe: a running build is waited for, a completed one is not redone. Ctrl-C stops following the build, not the build: the message says how to follow or cancel it."],
        examples: &[("Build, then switch later", "oc 3scale-upgrade build-oracle-image -n 3scale --from-dir ./amp/system-oracle\noc 3scale-upgrade patch-images -n 3scale --db oracle")],
    },
    Page {
        command: "status",
        description: &["Each component's image stream tags and their imports, each DeploymentConfig's trigger, image and rollout, and AMP_RELEASE. Exit 2 when the project holds no 3scale installation."],
        examples: &[("For a script", "oc 3scale-upgrade status -n 3scale -o json")],
    },
    Page {
        command: "completion",
        description: &["Prints a static completion script. Interactive completion through `oc <TAB>` uses the oc_complete-3scale_upgrade helper instead."],
        examples: &[("zsh", "source <(oc 3scale-upgrade completion zsh)")],
    },
];

pub(crate) const MANUAL: Manual = Manual {
    pages: THREESCALE_PAGES,
    files: &[(
        "ConfigMap system-environment",
        "In the project: its AMP_RELEASE, which the guide sets to the new version before patching (the plan prints the command; the tool does not change it).",
    )],
    environment: COMMON_ENVIRONMENT,
    see_also: &["oc(1)", "kubectl(1)", "kubectl-exastro_upgrade(1)"],
};
