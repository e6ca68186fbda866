//! Maintenance mode in the 2.6+ procedure, from the vendor's maintenance manual: stop backyard execution,
//! let running jobs drain, stop data updates; at the end (or when anything fails) put the setting back to
//! what it was before the run. Used by the run's steps, its recovery and the `restore` command.

use std::time::{Duration, Instant};

use super::config::{AdminAccess, Config};
use super::journal::Journal;
use super::lease::LeaseSlot;
use super::put_back::{unlock, wait_restored, wait_restored_shown, Until};
use crate::exit::{coded, Exit};
use crate::ops::exastro_admin::{self, AdminApi, Credentials, Setting, Transport};
use crate::ops::kubectl::Kubectl;
use crate::process::{Cmd, Runner};
use crate::wait::{poll, OnInterrupt, Poll};

/// What the run found in preflight, and the API it goes on using.
pub(crate) struct Maintenance {
    pub(crate) api: AdminApi,
    /// The setting before the run: what is put back.
    pub(crate) before: Setting,
    /// Jobs running (being prepared or executed) when preflight looked.
    pub(crate) jobs_at_start: u64,
}

/// Credentials, then the transport (a port-forward unless `--admin-url`): a problem is one line.
pub(crate) fn connect(
    runner: &Runner,
    kubectl: &Kubectl,
    access: &AdminAccess,
) -> Result<AdminApi, String> {
    let credentials = Credentials::find(runner, kubectl)?;
    let transport = match &access.url {
        Some(url) => Transport::site(url, access.ca.as_deref())?,
        None => Transport::forward(runner, kubectl)?,
    };
    Ok(AdminApi::new(transport, credentials))
}

/// Preflight: one authenticated GET of the setting and one of the job count, before any change.
pub(crate) fn check(
    runner: &Runner,
    kubectl: &Kubectl,
    access: &AdminAccess,
) -> Result<Maintenance, String> {
    let api = connect(runner, kubectl, access)?;
    let before = api.setting(runner).map_err(|e| format!("{e:#}"))?;
    let jobs_at_start = api.execute_count(runner).map_err(|e| format!("{e:#}"))?;
    Ok(Maintenance {
        api,
        before,
        jobs_at_start,
    })
}

/// The base URL plans show: the site, or the tunnel's placeholder.
pub(crate) fn shown_base(access: &AdminAccess) -> String {
    access
        .url
        .clone()
        .unwrap_or_else(|| exastro_admin::FORWARD_BASE_SHOWN.to_string())
}

/// The calls that turn it on, as plans show them.
pub(crate) fn enter_preview(cfg: &Config) -> Vec<Cmd> {
    let base = shown_base(&cfg.admin);
    let patch = |b, d| {
        exastro_admin::shown(
            "PATCH",
            &base,
            exastro_admin::SETTING_PATH,
            Some(&exastro_admin::patch_body(b, d)),
        )
    };
    vec![
        patch(Some(true), None).note("maintenance mode: backyards start no new job"),
        exastro_admin::shown("GET", &base, exastro_admin::EXECUTE_CHECK_PATH, None).note(format!(
            "repeated until no job runs (bounded by --drain-timeout {})",
            humantime::format_duration(cfg.drain_timeout)
        )),
        patch(None, Some(true)).note("maintenance mode: no data updates"),
    ]
}

/// The call that puts it back, as plans show it.
fn release_preview(cfg: &Config, before: Setting) -> Cmd {
    let body = exastro_admin::patch_body(
        Some(before.backyard_execute_stop),
        Some(before.data_update_stop),
    );
    exastro_admin::shown(
        "PATCH",
        &shown_base(&cfg.admin),
        exastro_admin::SETTING_PATH,
        Some(&body),
    )
    .note(format!(
        "maintenance mode back to what it was, repeated until the platform takes it: {}",
        before.describe()
    ))
}

/// Stops backyard execution, waits for the running jobs to end, then stops data updates.
/// Returns how many jobs were running when backyard execution stopped.
pub(crate) fn enter(runner: &Runner, api: &AdminApi, cfg: &Config) -> anyhow::Result<u64> {
    api.set(runner, Some(true), None)?;
    let first = api.execute_count(runner)?;
    let started = Instant::now();
    let drained = poll(
        runner.reporter(),
        "running jobs to finish",
        cfg.drain_timeout,
        Duration::from_secs(2),
        OnInterrupt::Stop,
        || {
            let count = api.execute_count(runner)?;
            Ok(if count == 0 {
                Poll::Ready(())
            } else {
                Poll::Pending(format!(
                    "{count} job(s) still running (maintenance mode on)"
                ))
            })
        },
    );
    match drained {
        Ok(()) => {}
        // a Ctrl-C or an API error is the answer itself; only the drain's own bound is explained here
        Err(e) if crate::signals::interrupted() || started.elapsed() < cfg.drain_timeout => {
            return Err(e)
        }
        Err(_) => {
            let left = api.execute_count(runner).unwrap_or(first);
            if !cfg.no_drain {
                return Err(coded(
                    Exit::FailedRestored,
                    format!(
                        "{left} job(s) still running after --drain-timeout {}; maintenance mode is put back and \
                         nothing was stopped. Run again when they are done, with a longer --drain-timeout, or \
                         with --no-drain to stop them anyway",
                        humantime::format_duration(cfg.drain_timeout)
                    ),
                ));
            }
            runner.reporter().warn(&format!(
                "--no-drain: going on with {left} job(s) still running; the stop kills them"
            ));
        }
    }
    api.set(runner, None, Some(true))?;
    Ok(first)
}

/// Puts the recorded setting back. The platform answers 500 until its database, Keycloak and APIs are
/// ready again after the upgrade: the PATCH (an absolute setting, safe to repeat) is repeated until it is
/// taken, bounded by `timeout`; refused credentials end it at once.
pub(crate) fn release(
    runner: &Runner,
    api: &AdminApi,
    before: Setting,
    timeout: Duration,
) -> anyhow::Result<()> {
    let mut refused = None;
    let result = poll(
        runner.reporter(),
        "the platform to take the maintenance setting",
        timeout,
        Duration::from_secs(2),
        OnInterrupt::Finish,
        || match api.set(
            runner,
            Some(before.backyard_execute_stop),
            Some(before.data_update_stop),
        ) {
            Ok(()) => Ok(Poll::Ready(())),
            Err(e) if format!("{e:#}").contains("HTTP 401") => {
                refused = Some(e);
                Ok(Poll::Ready(()))
            }
            Err(e) => Ok(Poll::Pending(format!("platform not ready yet: {e:#}"))),
        },
    );
    match refused {
        Some(e) => Err(e),
        None => result,
    }
}

/// What [`release_and_unlock`] runs, as plans show it.
pub(crate) fn release_and_unlock_shown(
    cfg: &Config,
    kubectl: &Kubectl,
    before: Setting,
) -> Vec<Cmd> {
    vec![
        wait_restored_shown(kubectl, Until::Running),
        release_preview(cfg, before),
        super::journal::release_cmd(kubectl)
            .note("releases the lock once the counts and maintenance mode are back"),
    ]
}

/// The end of a journal that holds maintenance mode: once the put-back objects' pods run (platform-auth
/// among them: a port-forward needs it), the setting goes back to what it was before the run, then the lock
/// goes. `api`: the run's own, or None to open one now (`restore`, from any machine).
pub(crate) fn release_and_unlock(
    runner: &Runner,
    kubectl: &Kubectl,
    cfg: &Config,
    journal: &Journal,
    api: Option<&AdminApi>,
    lease: Option<&LeaseSlot>,
) -> anyhow::Result<()> {
    let before = journal.maintenance_before.unwrap_or_default();
    wait_restored(
        runner,
        kubectl,
        &journal.objects,
        cfg.timeout,
        Until::Running,
    )?;
    let opened;
    let api = match api {
        Some(api) => api,
        None => {
            opened = connect(runner, kubectl, &cfg.admin).map_err(anyhow::Error::msg)?;
            &opened
        }
    };
    release(runner, api, before, cfg.timeout)?;
    unlock(
        runner,
        kubectl,
        cfg,
        journal,
        lease,
        "the counts and maintenance mode are back",
    )
}
