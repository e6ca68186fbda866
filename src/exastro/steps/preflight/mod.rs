//! Step 1: everything that can be checked before any change, all at once, with independent calls run
//! concurrently. Every problem is reported together; any problem means exit 2 with nothing changed.
//! Cluster access is asked first (`ops::access`): when the cluster cannot be used, that one line is the
//! answer, not every later call retrying the same connection error.

mod checks;
pub(crate) mod helm_checks;
mod procedure_checks;

use crate::exastro::chart::{ITA_SECRET, PF_SECRET};
use crate::exastro::context::Ctx;
use crate::exastro::journal;
use crate::exit::preflight_failed;
use crate::ops::access;
use crate::ops::helm::Helm;
use crate::process::{Effect, Output, ProcessError, Runner};
use crate::runbook::{Action, Flow, Step};

pub(crate) struct Preflight;

type Ran = Result<Output, ProcessError>;

/// The calls that need the cluster, made once access is known to work.
struct ClusterReads {
    release: Ran,
    secrets: Ran,
    unfinished: Ran,
    /// helm 4: `helm get metadata` (how the release was last applied).
    metadata: Option<Ran>,
}

impl Step<Ctx> for Preflight {
    fn title(&self, _: &Ctx) -> String {
        "Preflight checks".into()
    }

    fn effect(&self) -> Effect {
        Effect::Read
    }

    fn actions(&self, _: &Ctx) -> Vec<Action<Ctx>> {
        vec![Action::look(|ctx, runner| {
            Ok(Preflight.run(ctx, runner)?.into())
        })]
    }
}

impl Preflight {
    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        let (mut problems, values_loaded) = checks::local_problems(ctx);
        let (helm_v, kubectl_v, access, search) = tools_and_access(ctx, runner);
        let helm_found = !matches!(&helm_v, Err(e) if e.is_missing_tool());
        let kubectl_found = !matches!(&kubectl_v, Err(e) if e.is_missing_tool());
        problems.extend(checks::tool_problems(ctx, &helm_v, &kubectl_v));
        let (local, access) = access;
        // the context the run uses, known from the kubeconfig even when the cluster does not answer
        ctx.context_name = ctx
            .cfg
            .target
            .context
            .clone()
            .or(local.map(|a| a.context))
            .unwrap_or_default();
        let reachable = kubectl_found
            && match access {
                Ok(()) => true,
                Err(problem) => {
                    problems.push(problem.to_string());
                    false
                }
            };
        if reachable {
            let reads = cluster_reads(ctx, runner);
            problems.extend(checks::secret_problems(ctx, &reads.secrets));
            let (unfinished, holder) = checks::unfinished_problems(ctx, runner, &reads.unfinished);
            problems.extend(helm_checks::apply_method_problem(
                ctx,
                reads.metadata.as_ref(),
            ));
            problems.extend(unfinished);
            if helm_found {
                problems.extend(checks::release_problems(
                    ctx,
                    runner,
                    &reads.release,
                    values_loaded,
                    holder,
                ));
            }
        }
        if helm_found {
            problems.extend(checks::target_problems(ctx, &search));
        }
        if reachable && helm_found {
            problems.extend(procedure_checks::procedure_problems(ctx, runner));
        }
        if !problems.is_empty() {
            return Err(preflight_failed(&problems));
        }
        Ok(checks::verdict(ctx))
    }
}

/// The kubeconfig's view (when it loads) and whether the cluster answers.
type AccessChecked = (Option<access::Access>, Result<(), access::AccessProblem>);

/// The tool versions, cluster access and the repository index, side by side (none needs another).
fn tools_and_access(ctx: &Ctx, runner: &Runner) -> (Ran, Ran, AccessChecked, Ran) {
    let (kubectl, cfg) = (&ctx.kubectl, &ctx.cfg);
    std::thread::scope(|s| {
        let helm_v = s.spawn(|| runner.run(&Helm::version()));
        let kubectl_v = s.spawn(|| runner.run(&kubectl.version()));
        let access = s.spawn(|| match access::local(runner, kubectl) {
            Ok(local) => {
                let answered = access::reachable(runner, kubectl, &local, kubectl.get_namespace());
                (Some(local), answered)
            }
            Err(problem) => (None, Err(problem)),
        });
        let search = s.spawn(|| {
            runner.run(&Helm::repo_update(cfg.repo()))?;
            runner.run(&Helm::search_versions(&cfg.chart, cfg.version.as_deref()))
        });
        (
            helm_v.join().expect("preflight thread panicked"),
            kubectl_v.join().expect("preflight thread panicked"),
            access.join().expect("preflight thread panicked"),
            search.join().expect("preflight thread panicked"),
        )
    })
}

/// The release, the ENCRYPT_KEY secrets, any unfinished run and the user (for the lease), side by side.
fn cluster_reads(ctx: &mut Ctx, runner: &Runner) -> ClusterReads {
    let (kubectl, helm, release) = (&ctx.kubectl, &ctx.helm, &ctx.cfg.release);
    let wants_metadata = helm_checks::wants_metadata(ctx);
    let (user, reads) = std::thread::scope(|s| {
        let metadata = s.spawn(|| {
            wants_metadata.then(|| runner.run(&crate::ops::helm4::get_metadata(helm, release)))
        });
        let whoami = s.spawn(|| runner.run(&kubectl.auth_whoami()).ok());
        let release = s.spawn(|| runner.run(&helm.list_release(release)));
        let secrets =
            s.spawn(|| runner.run(&kubectl.existing_names("secret", &[ITA_SECRET, PF_SECRET])));
        let unfinished =
            s.spawn(|| runner.run(&kubectl.get_optional("configmap", journal::JOURNAL_NAME)));
        // Only the lease's holder identity: a cluster without SelfSubjectReview is not a problem.
        let user = whoami
            .join()
            .ok()
            .flatten()
            .map(|o| o.stdout.trim().to_string());
        let reads = ClusterReads {
            release: release.join().expect("preflight thread panicked"),
            secrets: secrets.join().expect("preflight thread panicked"),
            unfinished: unfinished.join().expect("preflight thread panicked"),
            metadata: metadata.join().expect("preflight thread panicked"),
        };
        (user, reads)
    });
    ctx.cluster_user = user;
    reads
}
