//! Liveness of a run: a lease kept in the journal ConfigMap (key `lease.json`), held the way Kubernetes
//! components hold a coordination.k8s.io Lease (holder identity, acquire and renew times, duration).
//! A background thread renews it every few seconds while the run lives, so any machine can tell a live
//! run from a dead one. Like client-go's leader election, a lease read from another machine is judged by
//! watching whether it changes, not by comparing clocks, unless it is far older than any clock skew.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};

use crate::output::Reporter;

pub(crate) const LEASE_KEY: &str = "lease.json";
/// A holder that has not renewed for this long is dead.
pub(crate) const LEASE_DURATION: Duration = Duration::from_secs(15);
/// How often a live run renews.
pub(crate) const RENEW_EVERY: Duration = Duration::from_secs(3);
/// Two machines' clocks are assumed to agree within this much: a lease older than its duration plus
/// this is dead without watching it.
const MAX_CLOCK_SKEW: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Holder {
    /// The cluster user (`kubectl auth whoami`), or the local user where the cluster cannot tell.
    pub(crate) user: String,
    pub(crate) host: String,
    pub(crate) pid: u32,
}

impl Holder {
    pub(crate) fn current(cluster_user: Option<String>) -> Holder {
        Holder {
            user: cluster_user
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(local_user),
            host: this_host(),
            pid: std::process::id(),
        }
    }

    /// `on HOST as USER (pid N)`.
    pub(crate) fn describe(&self) -> String {
        format!("on {} as {} (pid {})", self.host, self.user, self.pid)
    }

    fn is_local(&self) -> bool {
        self.host == this_host()
    }
}

/// The login name: $USER, $LOGNAME, then the password database, then the numeric uid.
pub(crate) fn local_user() -> String {
    for var in ["USER", "LOGNAME"] {
        if let Ok(name) = std::env::var(var) {
            if !name.is_empty() {
                return name;
            }
        }
    }
    // SAFETY: getpwuid returns a pointer into static storage or null; it is read at once, on this thread.
    unsafe {
        let uid = libc::getuid();
        let entry = libc::getpwuid(uid);
        if !entry.is_null() && !(*entry).pw_name.is_null() {
            if let Ok(name) = std::ffi::CStr::from_ptr((*entry).pw_name).to_str() {
                return name.to_string();
            }
        }
        format!("uid {uid}")
    }
}

pub(crate) fn this_host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown-host".into())
}

fn pid_alive(pid: u32) -> bool {
    // SAFETY: kill with signal 0 only checks that the process exists (EPERM: it exists, not ours).
    let rc = unsafe { libc::kill(pid as libc::pid_t, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Lease {
    pub(crate) holder_identity: Holder,
    pub(crate) acquire_time: String,
    pub(crate) renew_time: String,
    pub(crate) lease_duration_seconds: u64,
}

impl Lease {
    pub(crate) fn new(holder: Holder) -> Lease {
        let now = rfc3339(SystemTime::now());
        Lease {
            holder_identity: holder,
            acquire_time: now.clone(),
            renew_time: now,
            lease_duration_seconds: LEASE_DURATION.as_secs(),
        }
    }

    pub(crate) fn renewed(&self) -> Lease {
        Lease {
            renew_time: rfc3339(SystemTime::now()),
            ..self.clone()
        }
    }

    pub(crate) fn duration(&self) -> Duration {
        Duration::from_secs(self.lease_duration_seconds.max(1))
    }

    /// How long ago it was renewed, by this machine's clock (zero if it reads as the future).
    pub(crate) fn renew_age(&self) -> Duration {
        humantime::parse_rfc3339_weak(&self.renew_time)
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .unwrap_or_default()
    }

    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).expect("lease serializes")
    }
}

/// Whether the holder of a journal is still running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Liveness {
    /// It keeps renewing: refuse to interfere.
    Live {
        holder: Holder,
        renewed_ago: Duration,
    },
    /// It is gone, with the reason it is known to be.
    Dead(String),
}

/// What one reading tells without waiting.
enum Reading {
    Known(Liveness),
    /// Recent, from another machine: watch it.
    Unsure,
}

fn secs(d: Duration) -> String {
    format!("{}s", d.as_secs())
}

fn read(lease: Option<&Lease>) -> Reading {
    let Some(lease) = lease else {
        return Reading::Known(Liveness::Dead(
            "the journal carries no lease (an older version wrote it)".into(),
        ));
    };
    let holder = &lease.holder_identity;
    let age = lease.renew_age();
    if holder.is_local() {
        // Same machine, same clock, and the process table answers.
        if !pid_alive(holder.pid) {
            return Reading::Known(Liveness::Dead(format!(
                "its process {} on this host is gone",
                holder.pid
            )));
        }
        if age > lease.duration() {
            return Reading::Known(Liveness::Dead(format!(
                "it has not renewed its lease for {} (process {} exists but is not renewing)",
                secs(age),
                holder.pid
            )));
        }
        return Reading::Known(Liveness::Live {
            holder: holder.clone(),
            renewed_ago: age,
        });
    }
    if age > lease.duration() + MAX_CLOCK_SKEW {
        return Reading::Known(Liveness::Dead(format!(
            "it has not renewed its lease for {}",
            secs(age)
        )));
    }
    Reading::Unsure
}

/// Decides whether the journal's holder is alive. A lease from another machine that is merely recent is
/// watched (bounded by its duration, with progress) until it is renewed (live) or expires (dead).
pub(crate) fn assess(
    first: Option<Lease>,
    reporter: &Reporter,
    mut fetch: impl FnMut() -> anyhow::Result<Option<Option<Lease>>>,
) -> anyhow::Result<Liveness> {
    let lease = match read(first.as_ref()) {
        Reading::Known(verdict) => return Ok(verdict),
        Reading::Unsure => first.expect("an unsure reading has a lease"),
    };
    let started = Instant::now();
    let deadline = lease.duration() + Duration::from_secs(1);
    while started.elapsed() < deadline {
        reporter.step_progress(&format!(
            "watching the lease of the run {}: it is live if renewed within {} (watched {})",
            lease.holder_identity.describe(),
            secs(deadline),
            secs(started.elapsed())
        ));
        std::thread::sleep(Duration::from_secs(1));
        match fetch()? {
            None => return Ok(Liveness::Dead("its journal is gone".into())),
            Some(Some(now)) if now.renew_time != lease.renew_time => {
                return Ok(Liveness::Live {
                    holder: now.holder_identity.clone(),
                    renewed_ago: now.renew_age(),
                })
            }
            Some(_) => {}
        }
    }
    Ok(Liveness::Dead(format!(
        "its lease was not renewed during {} of watching",
        secs(deadline)
    )))
}

/// The lease a run holds, shared with the renewing thread; `None` before the journal exists and after
/// it is released.
#[derive(Clone, Default)]
pub(crate) struct LeaseSlot {
    held: Arc<Mutex<Option<Lease>>>,
    lost: Arc<Mutex<Option<String>>>,
    stop: Arc<AtomicBool>,
}

impl LeaseSlot {
    pub(crate) fn hold(&self, lease: Lease) {
        *self.held.lock().unwrap_or_else(|e| e.into_inner()) = Some(lease);
    }

    pub(crate) fn release(&self) {
        *self.held.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    pub(crate) fn held(&self) -> Option<Lease> {
        self.held.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Why the lease was lost (the journal removed by somebody else), if it was.
    pub(crate) fn lost(&self) -> Option<String> {
        self.lost.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn mark_lost(&self, why: String) {
        *self.lost.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
    }

    pub(crate) fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// A guard that calls [`LeaseSlot::stop`] when dropped, on success, error or panic alike.
    pub(crate) fn stop_on_drop(&self) -> StopRenewal<'_> {
        StopRenewal(self)
    }

    /// Renews the held lease every RENEW_EVERY until `stop`; `renew` writes one renewal and returns
    /// whether the journal still exists (Err: a failure worth retrying at the next tick).
    pub(crate) fn renew_loop(&self, mut renew: impl FnMut(&Lease) -> anyhow::Result<bool>) {
        let mut next = Instant::now() + RENEW_EVERY;
        while !self.stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(100));
            if Instant::now() < next {
                continue;
            }
            next = Instant::now() + RENEW_EVERY;
            let Some(lease) = self.held() else { continue };
            let renewed = lease.renewed();
            match renew(&renewed) {
                Ok(true) => {
                    let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
                    if held.is_some() {
                        *held = Some(renewed);
                    }
                }
                // Released meanwhile (the run deleted its own journal): not a loss.
                Ok(false) if self.held().is_none() => {}
                Ok(false) => self.mark_lost(
                    "the journal ConfigMap was deleted by somebody else while this run held it"
                        .into(),
                ),
                Err(_) => {}
            }
        }
    }
}

/// Stops a [`LeaseSlot`]'s renewal loop when dropped.
pub(crate) struct StopRenewal<'a>(&'a LeaseSlot);

impl Drop for StopRenewal<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease_of(host: &str, pid: u32, age: Duration) -> Lease {
        let mut lease = Lease::new(Holder {
            user: "alice".into(),
            host: host.into(),
            pid,
        });
        lease.renew_time = rfc3339(SystemTime::now() - age);
        lease
    }

    fn verdict(lease: Option<Lease>) -> Option<Liveness> {
        match read(lease.as_ref()) {
            Reading::Known(v) => Some(v),
            Reading::Unsure => None,
        }
    }

    #[test]
    fn a_local_holder_is_judged_at_once() {
        let me = std::process::id();
        let live = verdict(Some(lease_of(&this_host(), me, Duration::from_secs(2))));
        assert!(matches!(live, Some(Liveness::Live { .. })), "{live:?}");
        // pid 0x7ffffff0 does not exist
        let gone = verdict(Some(lease_of(&this_host(), 0x7fff_fff0, Duration::ZERO)));
        assert!(
            matches!(&gone, Some(Liveness::Dead(why)) if why.contains("is gone")),
            "{gone:?}"
        );
        let stale = verdict(Some(lease_of(&this_host(), me, Duration::from_secs(60))));
        assert!(matches!(stale, Some(Liveness::Dead(_))), "{stale:?}");
    }

    #[test]
    fn a_remote_holder_is_watched_unless_far_expired() {
        assert_eq!(
            verdict(Some(lease_of("elsewhere", 1, Duration::from_secs(2)))),
            None
        );
        assert!(matches!(
            verdict(Some(lease_of("elsewhere", 1, Duration::from_secs(600)))),
            Some(Liveness::Dead(_))
        ));
        assert!(matches!(verdict(None), Some(Liveness::Dead(_))));
    }

    #[test]
    fn the_local_user_never_reads_unknown() {
        let user = local_user();
        assert!(!user.is_empty() && user != "unknown");
    }
}
