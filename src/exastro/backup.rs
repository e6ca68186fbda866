//! What the runbooks say to keep before upgrading, in one private directory (0700, files 0600): both
//! ENCRYPT_KEYs (decoded: losing them makes the encrypted data unreadable, and the 2.4+ runbooks put them
//! into the values file), the release's user-supplied values, its manifest and history, and the replica
//! count of every Deployment/StatefulSet. Nothing secret is ever printed. The database dump of the vendor's
//! backup chapter is a separate step (README).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context as _;

use super::chart::{ITA_SECRET, PF_SECRET};
use super::context::Ctx;
use crate::ops::k8s::Workload;
use crate::process::{Cmd, Runner};
use crate::state_dir;

pub(crate) use super::backup_data::{Backup, Pending};

/// `NS__RELEASE__`: the names of this namespace and release's backups in the state directory.
fn managed_prefix(ctx: &Ctx) -> String {
    state_dir::file_key(&[&ctx.cfg.target.namespace, &ctx.cfg.release, ""])
}

/// Where a run's backup goes when no `--backup-dir` is given: under the state directory.
pub(crate) fn default_dir(ctx: &Ctx) -> Option<PathBuf> {
    let stamp = humantime::format_rfc3339_millis(SystemTime::now())
        .to_string()
        .replace(':', "");
    let name = format!("{}{}", managed_prefix(ctx), state_dir::file_key(&[&stamp]));
    state_dir::state_dir().map(|d| d.join("backups").join(name))
}

/// Removes this namespace and release's oldest backups in the state directory beyond `keep` (the names
/// carry their time and sort by it); returns what was removed.
pub(crate) fn prune(ctx: &Ctx, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let Some(root) = state_dir::state_dir().map(|d| d.join("backups")) else {
        return Ok(Vec::new());
    };
    let prefix = managed_prefix(ctx);
    let mut ours: Vec<PathBuf> = match std::fs::read_dir(&root) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect(),
        Err(_) => return Ok(Vec::new()),
    };
    ours.sort();
    let excess = ours.len().saturating_sub(keep);
    let removed: Vec<PathBuf> = ours.into_iter().take(excess).collect();
    for dir in &removed {
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("could not remove the old backup {}", dir.display()))?;
    }
    Ok(removed)
}

/// Writes a pending backup, then prunes the older ones it manages; returns those removed.
pub(crate) fn write_pending(ctx: &Ctx, pending: &Pending) -> anyhow::Result<Vec<PathBuf>> {
    write(&pending.dir, &pending.backup)?;
    if pending.managed {
        prune(ctx, ctx.cfg.keep_backups)
    } else {
        Ok(Vec::new())
    }
}

/// The line that says which old backups went (none: no line).
pub(crate) fn removal_note(ctx: &Ctx, removed: &[PathBuf]) -> Option<String> {
    (!removed.is_empty()).then(|| {
        let names: Vec<String> = removed.iter().map(|d| d.display().to_string()).collect();
        format!(
            "removed {} older backup(s) of {}/{} (--keep-backups {}): {}",
            removed.len(),
            ctx.cfg.target.namespace,
            ctx.cfg.release,
            ctx.cfg.keep_backups,
            names.join(", ")
        )
    })
}

/// Both ENCRYPT_KEYs, decoded, from one read of the two secrets; a secret that does not exist (or has no
/// key) is absent from the result.
fn encrypt_keys(runner: &Runner, ctx: &Ctx) -> anyhow::Result<Vec<(String, String)>> {
    let out = runner.run(&ctx.kubectl.get_named("secret", &[ITA_SECRET, PF_SECRET]))?;
    if out.stdout.trim().is_empty() {
        return Ok(Vec::new());
    }
    let list: serde_json::Value =
        serde_json::from_str(&out.stdout).context("the ENCRYPT_KEY secrets are not JSON")?;
    let mut keys = Vec::new();
    for secret in list["items"].as_array().into_iter().flatten() {
        let name = secret["metadata"]["name"].as_str().unwrap_or_default();
        let Some(encoded) = secret["data"]["ENCRYPT_KEY"].as_str() else {
            continue;
        };
        let bytes = crate::base64::decode(encoded)
            .map_err(|e| anyhow::anyhow!("secret {name}: ENCRYPT_KEY is not base64 ({e})"))?;
        keys.push((
            name.to_string(),
            String::from_utf8_lossy(&bytes).into_owned(),
        ));
    }
    Ok(keys)
}

fn text(runner: &Runner, cmd: &Cmd) -> anyhow::Result<String> {
    Ok(runner.run(cmd)?.stdout)
}

/// Reads everything a backup holds (read-only; the reads run side by side). `list_workloads` gives the
/// workloads whose counts it keeps: a run's record step passes its own listing (run alongside the helm
/// reads, and listed once), the `backup` command lists them here.
pub(crate) fn collect<L>(
    runner: &Runner,
    ctx: &Ctx,
    list_workloads: impl FnOnce() -> anyhow::Result<(Vec<Workload>, L)> + Send,
) -> anyhow::Result<(Backup, L)>
where
    L: Send,
{
    let (helm, release) = (&ctx.helm, &ctx.cfg.release);
    let (values, manifest, history, listed, keys) = std::thread::scope(|s| {
        let values = s.spawn(|| text(runner, &helm.get_values_yaml(release)));
        let manifest = s.spawn(|| text(runner, &helm.get_manifest(release)));
        let history = s.spawn(|| text(runner, &helm.history(release)));
        let keys = s.spawn(|| encrypt_keys(runner, ctx));
        let listed = list_workloads();
        (
            values.join().expect("backup thread"),
            manifest.join().expect("backup thread"),
            history.join().expect("backup thread"),
            listed,
            keys.join().expect("backup thread"),
        )
    });
    let (workloads, rest) = listed?;
    let history = history?;
    let revision = serde_json::from_str::<Vec<serde_json::Value>>(&history)
        .ok()
        .and_then(|rows| rows.last().map(|r| r["revision"].to_string()))
        .unwrap_or_default();
    let counts: Vec<serde_json::Value> = workloads
        .iter()
        .map(|w| serde_json::json!({"kind": w.kind, "name": w.metadata.name, "replicas": w.replicas()}))
        .collect();
    let mut files = vec![
        ("values.yaml".to_string(), values?),
        ("manifest.yaml".to_string(), manifest?),
        ("history.json".to_string(), history),
        (
            "replicas.json".to_string(),
            serde_json::to_string_pretty(&counts)?,
        ),
    ];
    for (secret, key) in keys? {
        files.push((format!("{secret}.ENCRYPT_KEY"), key));
    }
    Ok((Backup { files, revision }, rest))
}

/// Writes the backup: the directory 0700, each file 0600.
pub(crate) fn write(dir: &Path, backup: &Backup) -> anyhow::Result<()> {
    for (name, contents) in &backup.files {
        state_dir::write_private(&dir.join(name), contents)
            .with_context(|| format!("could not write the backup into {}", dir.display()))?;
    }
    Ok(())
}

/// The file names, for messages (never their contents).
pub(crate) fn names(backup: &Backup) -> Vec<String> {
    backup.files.iter().map(|(n, _)| n.clone()).collect()
}
