//! The helm the run will use: a supported version (3.12+ or 4), and on helm 4 how the release was last
//! applied (server-side releases need the conflict check of the record step).

use super::Ran;
use crate::exastro::context::Ctx;
use crate::ops::helm4::{self, HelmVersion};

/// From `helm version --short`: the version kept in the context, or the problem with it.
pub(super) fn version_problem(ctx: &mut Ctx, short: &str) -> Option<String> {
    let Some(version) = HelmVersion::parse(short) else {
        return Some(format!(
            "`helm version --short` printed {:?}, not a version: check that `helm` on PATH is helm ({})",
            short.trim(),
            helm4::SUPPORTED
        ));
    };
    let problem = version.unsupported();
    let forced_on_helm_3 = ctx.cfg.force_conflicts && !version.has_server_side_apply();
    ctx.helm_version = Some(version);
    problem.or_else(|| {
        forced_on_helm_3.then(|| {
            format!(
                "--force-conflicts is a helm 4 flag and helm is {}: helm 3 applies client-side and takes the replica \
                 counts back by itself; drop --force-conflicts",
                ctx.helm_version.as_ref().map_or("", |v| v.text.as_str())
            )
        })
    })
}

/// helm 4 only: `helm get metadata` says how the release was last applied.
pub(super) fn wants_metadata(ctx: &Ctx) -> bool {
    ctx.helm_version
        .as_ref()
        .is_some_and(HelmVersion::has_server_side_apply)
}

/// Records the release's apply method from `helm get metadata -o json`; a failure is a problem (the tool
/// cannot know whether the upgrade will meet conflicts).
pub(super) fn apply_method_problem(ctx: &mut Ctx, metadata: Option<&Ran>) -> Option<String> {
    let out = match metadata? {
        Ok(out) => out,
        // a release that does not exist is reported by the release check
        Err(e) if e.stderr.contains("not found") => return None,
        Err(e) => return Some(e.summary()),
    };
    match helm4::parse_apply_method(&out.stdout) {
        Ok(method) => {
            ctx.apply_method = method;
            None
        }
        Err(e) => Some(format!("{e:#}")),
    }
}

/// `helm v4.2.4+g…; the release is applied server-side (field manager helm)` for the summary.
pub(crate) fn describe(ctx: &Ctx) -> Option<String> {
    let version = ctx.helm_version.as_ref()?;
    Some(match (version.has_server_side_apply(), ctx.apply_method) {
        (false, _) => format!("helm {} (client-side three-way merge)", version.text),
        (true, method) => format!(
            "helm {}; the release is applied {}",
            version.text,
            method.describe()
        ),
    })
}
