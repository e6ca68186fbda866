//! Which database the run works with: the system DCs' trigger tags (`-oracle` means Oracle), the database
//! DCs in the project, and `--db`, which may confirm them but never contradict them.

use crate::ops::openshift::DeploymentConfig;
use crate::threescale::config::{Config, Db};
use crate::threescale::release::{Upgrade, MYSQL_DC, POSTGRESQL_DC};

/// One system DC's trigger on its stream, and whether the tag is an `-oracle` one.
struct TagVote {
    dc: String,
    from: String,
    oracle: bool,
}

/// Decides which database the run works with, or says why it cannot.
pub(super) fn decide_db(
    upgrade: &Upgrade,
    cfg: &Config,
    dcs: &[DeploymentConfig],
    problems: &mut Vec<String>,
) -> (Option<Db>, String) {
    let votes = trigger_votes(upgrade, dcs);
    let detected =
        oracle_by_tags(&votes).and_then(|oracle_tags| Ok((oracle_tags, detect(oracle_tags, dcs)?)));
    match detected {
        Ok((oracle_tags, detected)) => reconcile(cfg.db, detected, oracle_tags, problems),
        Err(problem) => {
            problems.push(problem);
            (cfg.db, "inconsistent".into())
        }
    }
}

/// The system DCs' trigger tags.
fn trigger_votes(upgrade: &Upgrade, dcs: &[DeploymentConfig]) -> Vec<TagVote> {
    let mut votes = Vec::new();
    for component in upgrade.components.iter().filter(|c| c.oracle_tags) {
        let prefix = format!("{}:", component.stream);
        for spec in component.dcs {
            let Some(dc) = dcs.iter().find(|d| d.name() == spec.name) else {
                continue;
            };
            for t in dc.image_triggers() {
                if let Some(tag) = t.from.name.strip_prefix(&prefix) {
                    votes.push(TagVote {
                        dc: spec.name.to_string(),
                        from: t.from.name.clone(),
                        oracle: tag.ends_with("-oracle"),
                    });
                }
            }
        }
    }
    votes
}

/// Whether the tags say Oracle (`None` without any); a problem when they disagree.
fn oracle_by_tags(votes: &[TagVote]) -> Result<Option<bool>, String> {
    if votes.is_empty() {
        Ok(None)
    } else if votes.iter().all(|v| v.oracle) {
        Ok(Some(true))
    } else if votes.iter().all(|v| !v.oracle) {
        Ok(Some(false))
    } else {
        Err(format!(
            "the system DeploymentConfigs disagree about the database: {}. With Oracle every one of them \
             triggers on an -oracle tag; fix the odd one out before upgrading",
            votes
                .iter()
                .map(|v| format!("dc/{} triggers on {}", v.dc, v.from))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// The database the project shows and why (`None`: an external one), or a problem when it cannot tell.
fn detect(
    oracle_tags: Option<bool>,
    dcs: &[DeploymentConfig],
) -> Result<Option<(Db, String)>, String> {
    let in_cluster: Vec<(Db, &str)> = [(Db::Mysql, MYSQL_DC), (Db::Postgresql, POSTGRESQL_DC)]
        .into_iter()
        .filter(|(_, dc)| dcs.iter().any(|d| d.name() == *dc))
        .collect();
    match (oracle_tags, in_cluster.as_slice()) {
        (Some(true), []) => Ok(Some((
            Db::Oracle,
            "detected: the system DCs trigger on -oracle tags".into(),
        ))),
        (Some(true), [(db, dc), ..]) => Err(format!(
            "the system DCs trigger on -oracle tags, but DeploymentConfig {dc} ({db}) exists too: \
             cannot tell which database 3scale uses"
        )),
        (_, [(db, dc)]) => Ok(Some((
            *db,
            format!("detected: DeploymentConfig {dc} exists"),
        ))),
        (_, []) => Ok(None),
        (_, many) => Err(format!(
            "both {} exist: cannot tell which database 3scale uses",
            many.iter()
                .map(|(_, dc)| format!("DeploymentConfig {dc}"))
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

/// `--db` against what the project shows: it may confirm or fill in, never contradict.
fn reconcile(
    given: Option<Db>,
    detected: Option<(Db, String)>,
    oracle_tags: Option<bool>,
    problems: &mut Vec<String>,
) -> (Option<Db>, String) {
    match (given, detected) {
        (Some(given), Some((found, why))) if given != found => {
            problems.push(format!(
                "--db {given} contradicts the project: the database is {found} ({why}). \
                 Drop --db to use the detected one"
            ));
            (Some(given), "given with --db".into())
        }
        (Some(given), Some((_, why))) => (Some(given), why),
        (Some(Db::Oracle), None) if oracle_tags == Some(false) => {
            problems.push(
                "--db oracle contradicts the project: the system DCs trigger on tags without -oracle, \
                 so they run the standard system image"
                    .into(),
            );
            (Some(Db::Oracle), "given with --db".into())
        }
        (Some(given), None) => (Some(given), "given with --db".into()),
        (None, Some((found, why))) => (Some(found), why),
        (None, None) => (
            None,
            "no -oracle trigger tags and no system-mysql/system-postgresql DC: an external database"
                .into(),
        ),
    }
}
