//! Which of the vendor's upgrade procedures a run follows, from the installed and the target app versions
//! (Exastro's upgrade guides, 2.0 to 2.7), and what `--stop` / `--maintenance-mode` change about it.

use serde::Serialize;

pub(crate) use super::config::MaintenanceMode;
use super::config::StopScope;
use crate::semver::Version;

/// The vendor's procedure for a target version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Procedure {
    /// 2.0 - 2.3: stop platform-auth and the `ita-by-*` backyards (the seed's runbook).
    Backyards,
    /// 2.4 - 2.5: stop every Deployment and StatefulSet of the namespace.
    StopAll,
    /// 2.6 and later: maintenance mode (running jobs drain first) around the stop of everything.
    Maintenance,
}

impl Procedure {
    pub(crate) fn for_target(target_app: &Version) -> Procedure {
        match target_app.core {
            [2, minor, _] if minor >= 6 => Procedure::Maintenance,
            [2, minor, _] if minor >= 4 => Procedure::StopAll,
            [major, ..] if major > 2 => Procedure::Maintenance,
            _ => Procedure::Backyards,
        }
    }

    /// How the summary names it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Procedure::Backyards => "2.0-2.3 procedure: stop platform-auth and the ita-by-* backyards",
            Procedure::StopAll => "2.4-2.5 procedure: stop every Deployment and StatefulSet",
            Procedure::Maintenance => {
                "2.6+ procedure: maintenance mode (running jobs drain first), then stop every Deployment and StatefulSet"
            }
        }
    }

    fn default_stop(self) -> StopScope {
        match self {
            Procedure::Backyards => StopScope::Backyard,
            Procedure::StopAll | Procedure::Maintenance => StopScope::All,
        }
    }
}

/// What a run does, and why, for the summary, the plan and `-o json`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Choice {
    pub(crate) procedure: Procedure,
    pub(crate) stop: StopScope,
    pub(crate) maintenance: bool,
    /// One line each: which procedure and why, and every override.
    pub(crate) notes: Vec<String>,
    /// What an override risks (`--maintenance-mode off` on a version that has it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) risk: Option<String>,
}

/// The first version with maintenance mode.
const MAINTENANCE_SINCE: [u64; 3] = [2, 4, 0];

/// Chooses the procedure, or refuses the upgrade with the vendor's reason.
pub(crate) fn choose(
    installed_app: &str,
    target_app: &str,
    stop_flag: Option<StopScope>,
    mode: MaintenanceMode,
) -> Result<Choice, String> {
    let parse = |what: &str, text: &str| {
        Version::parse(text).ok_or_else(|| {
            format!("the {what} app version {text:?} is not a version this tool knows")
        })
    };
    let (installed, target) = (
        parse("installed", installed_app)?,
        parse("target", target_app)?,
    );
    if installed.core <= [2, 2, 1] && target.core >= [2, 3, 0] {
        return Err(format!(
            "Exastro {installed_app} cannot be upgraded in place to {target_app}: the vendor's procedure \
             from 2.2.1 or earlier to 2.3.0 or later is an uninstall, keeping the persistent volumes, and a \
             fresh install (see Exastro's upgrade guide); upgrade to a 2.2 chart first or follow that procedure"
        ));
    }
    let procedure = Procedure::for_target(&target);
    let mut notes = vec![format!(
        "{} → {}: the vendor's {}",
        installed_app,
        target_app,
        procedure.describe()
    )];
    let stop = match stop_flag {
        Some(scope) if scope != procedure.default_stop() => {
            notes.push(format!("--stop {} overrides it", scope.flag_value()));
            scope
        }
        Some(scope) => scope,
        None => procedure.default_stop(),
    };
    let has_it = installed.core >= MAINTENANCE_SINCE;
    let (maintenance, risk) = match mode {
        MaintenanceMode::Auto if procedure == Procedure::Maintenance && !has_it => {
            notes.push(format!(
                "without maintenance mode: the installed {installed_app} has none (it came with 2.4)"
            ));
            (false, Some("jobs still running when the backyards stop are killed mid-run".into()))
        }
        MaintenanceMode::Auto => (procedure == Procedure::Maintenance, None),
        MaintenanceMode::On if !has_it => {
            return Err(format!(
                "--maintenance-mode on: Exastro {installed_app} has no maintenance mode (it came with 2.4); \
                 use --maintenance-mode auto or off"
            ))
        }
        MaintenanceMode::On => {
            if procedure != Procedure::Maintenance {
                notes.push("--maintenance-mode on adds maintenance mode to it".into());
            }
            (true, None)
        }
        MaintenanceMode::Off => {
            let risk = has_it.then(|| {
                "--maintenance-mode off: jobs still running when the backyards stop (Ansible, Terraform, \
                 Conductor) are killed mid-run"
                    .to_string()
            });
            if procedure == Procedure::Maintenance {
                notes.push("--maintenance-mode off leaves maintenance mode out".into());
            }
            (false, risk)
        }
    };
    Ok(Choice {
        procedure,
        stop,
        maintenance,
        notes,
        risk,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(from: &str, to: &str, mode: MaintenanceMode) -> Result<Choice, String> {
        choose(from, to, None, mode)
    }

    #[test]
    fn the_target_version_picks_the_vendors_procedure() {
        let seed = pick("2.0.3", "2.1.0", MaintenanceMode::Auto).unwrap();
        assert_eq!(
            (seed.procedure, seed.stop, seed.maintenance),
            (Procedure::Backyards, StopScope::Backyard, false)
        );
        let four = pick("2.3.0", "2.4.2", MaintenanceMode::Auto).unwrap();
        assert_eq!(
            (four.procedure, four.stop, four.maintenance),
            (Procedure::StopAll, StopScope::All, false)
        );
        let six = pick("2.4.2", "2.6.2", MaintenanceMode::Auto).unwrap();
        assert_eq!(
            (six.procedure, six.stop, six.maintenance),
            (Procedure::Maintenance, StopScope::All, true)
        );
        let seven = pick("2.6.2", "2.7.1", MaintenanceMode::Auto).unwrap();
        assert!(seven.maintenance && seven.risk.is_none());
    }

    #[test]
    fn an_upgrade_across_2_3_from_2_2_1_or_older_is_refused_with_the_reason() {
        let why = pick("2.1.0", "2.4.2", MaintenanceMode::Auto).unwrap_err();
        assert!(
            why.contains("cannot be upgraded in place") && why.contains("2.2.1 or earlier"),
            "{why}"
        );
        assert!(pick("2.2.1", "2.3.0", MaintenanceMode::Auto).is_err());
        assert!(pick("2.2.2", "2.3.0", MaintenanceMode::Auto).is_ok());
        assert!(pick("2.0.3", "2.2.1", MaintenanceMode::Auto).is_ok());
    }

    #[test]
    fn overrides_are_named_and_what_they_risk_is_said() {
        let on = pick("2.4.2", "2.5.0", MaintenanceMode::On).unwrap();
        assert!(on.maintenance && on.notes.iter().any(|n| n.contains("--maintenance-mode on")));
        let off = pick("2.6.2", "2.7.1", MaintenanceMode::Off).unwrap();
        assert!(!off.maintenance && off.risk.as_deref().unwrap().contains("killed"));
        let refused = pick("2.3.0", "2.3.1", MaintenanceMode::On).unwrap_err();
        assert!(refused.contains("no maintenance mode"), "{refused}");
        let stop = choose(
            "2.6.2",
            "2.7.1",
            Some(StopScope::Backyard),
            MaintenanceMode::Auto,
        )
        .unwrap();
        assert_eq!(stop.stop, StopScope::Backyard);
        assert!(stop
            .notes
            .iter()
            .any(|n| n.contains("--stop backyard overrides")));
    }
}
