//! Preflight's values guard: `helm upgrade -f FILE` replaces every user-supplied value of the release with
//! the file's, so a file that lacks a setting the release has (an empty file, another product's, one
//! missing a key) silently resets it to the chart's default. Compared before anything changes.

use crate::exastro::context::Ctx;
use crate::process::Runner;
use crate::values;

/// How many dropped keys a message lists before "and N more".
const LISTED: usize = 12;

/// Reads the release's user-supplied values and records what the values file would drop.
pub(crate) fn compare(ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<()> {
    let cmd = ctx.helm.get_values(&ctx.cfg.release);
    let out = runner.run(&cmd)?;
    let current = values::release_values(&out.stdout)
        .map_err(|e| anyhow::anyhow!("`{}` printed no JSON: {e}", cmd.display()))?;
    ctx.dropped_values = values::dropped_settings(&current, &ctx.user_values);
    Ok(())
}

/// The comparison as a preflight problem (nothing is changed) unless `--accept-dropped-values`.
pub(crate) fn check(ctx: &mut Ctx, runner: &Runner) -> Option<String> {
    let cfg = ctx.cfg.clone();
    if let Err(e) = compare(ctx, runner) {
        return Some(format!("{e:#}"));
    }
    if ctx.dropped_values.is_empty() {
        return None;
    }
    let text = describe(ctx);
    if cfg.accept_dropped_values {
        runner.reporter().warn(&format!(
            "--accept-dropped-values: {text}; they go back to the chart's defaults"
        ));
        return None;
    }
    let recovered = recovery_file(ctx);
    Some(format!(
        "{text}: `helm upgrade -f` replaces every value the release was given, so these would go back to the \
         chart's defaults. Recover the release's values into a new file, compare it with yours and carry your \
         changes over, then run again with -f {recovered}:\n    \
         {} > {recovered}\n    {}\n  or pass --accept-dropped-values if dropping them is what you want",
        recover_command(ctx),
        crate::quote::shell_join(&["diff", "-u", &cfg.values_display(), &recovered]),
    ))
}

/// Where the recovery writes the release's values: never the file the user gave (`>` would overwrite it).
pub(crate) fn recovery_file(ctx: &Ctx) -> String {
    let name = format!("{}-from-release.yaml", ctx.cfg.release);
    if ctx.cfg.values_file.file_name() == Some(std::ffi::OsStr::new(&name)) {
        format!("{}-from-release-new.yaml", ctx.cfg.release)
    } else {
        name
    }
}

/// `N setting(s) the release has now are not in FILE: a.b, c.d, ...`
pub(crate) fn describe(ctx: &Ctx) -> String {
    let keys = &ctx.dropped_values;
    let mut listed = keys
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if keys.len() > LISTED {
        listed.push_str(&format!(" and {} more", keys.len() - LISTED));
    }
    format!(
        "{} setting(s) the release has now are not in {}: {listed}",
        keys.len(),
        ctx.cfg.values_display()
    )
}

/// The copy-pastable command that writes the release's user-supplied values as YAML.
pub(crate) fn recover_command(ctx: &Ctx) -> String {
    let mut words = vec![
        "helm".to_string(),
        "get".into(),
        "values".into(),
        ctx.cfg.release.clone(),
        "-n".into(),
        ctx.cfg.target.namespace.clone(),
        "-o".into(),
        "yaml".into(),
    ];
    words.extend(ctx.cfg.target.helm_flags());
    crate::quote::shell_join(&words)
}

/// The section `values-diff` and `plan` print.
pub(crate) fn render(ctx: &Ctx) -> String {
    if ctx.dropped_values.is_empty() {
        return format!(
            "Every setting the release has now is also in {}.\n",
            ctx.cfg.values_display()
        );
    }
    let mut text = format!(
        "Settings the release has now that {} does not set (helm upgrade -f would reset them to the chart's defaults):\n",
        ctx.cfg.values_display()
    );
    for key in &ctx.dropped_values {
        text.push_str(&format!("  - {key}\n"));
    }
    text.push_str(&format!(
        "  recover them with: {} > {}\n",
        recover_command(ctx),
        recovery_file(ctx)
    ));
    text
}
