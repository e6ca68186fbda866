//! What the steps of one run share: the configuration, the release data, the tool, what the preflight
//! planned, and what the run changed (for the summary and for the commands that switch things back).

use std::collections::BTreeMap;

use serde::Serialize;

use super::config::{Config, Db};
use super::release::{ComponentSpec, Upgrade};
use crate::exit::Exit;
use crate::ops::oc::Oc;
use crate::process::Cmd;

/// What happens to one image stream's new tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TagState {
    /// Not in the stream: the run adds it.
    Add,
    /// Already there with the same source: reused.
    Present,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagPlan {
    pub name: String,
    pub source: String,
    pub display_name: String,
    pub state: TagState,
}

/// What happens to one DeploymentConfig.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DcAction {
    /// On the old trigger: switch it, then wait for the rollout.
    Switch,
    /// Already on the new trigger but not rolled out to the new image yet (e.g. an earlier run stopped):
    /// wait for it.
    Await,
    /// On the new trigger and rolled out: nothing to do.
    Done,
    /// No ImageChange trigger at all (a run of an older version or a person stopped between removing the
    /// old trigger and adding the new one): add the new one, then wait for the rollout.
    AddNew,
    /// Both the old and the new trigger: drop the old one, then wait for the new one's rollout.
    DropOld,
}

impl DcAction {
    /// Whether the run writes this DC's triggers (every way to the new trigger).
    pub fn writes_trigger(self) -> bool {
        matches!(
            self,
            DcAction::Switch | DcAction::AddNew | DcAction::DropOld
        )
    }

    /// What it does, for plans and reports.
    pub fn verb(self) -> &'static str {
        match self {
            DcAction::Switch => "switch",
            DcAction::AddNew => "add the missing",
            DcAction::DropOld => "drop the leftover old trigger beside",
            DcAction::Await => "wait for",
            DcAction::Done => "done",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DcPlan {
    pub name: String,
    pub containers: Vec<String>,
    pub action: DcAction,
    /// `status.latestVersion` when the preflight read it.
    pub latest_version: i64,
    /// The image of the listed containers when the preflight read it.
    pub image: String,
    /// `spec.triggers` as the preflight read it (the plan's guarded write tests against it).
    #[serde(skip)]
    pub triggers: serde_json::Value,
}

/// One selected component that exists in the project.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentPlan {
    #[serde(skip)]
    pub spec: &'static ComponentSpec,
    pub stream: String,
    /// The trigger tag before (`2.9` or `2.9-oracle`) and after (`2.10` or `2.10-oracle`).
    pub from_tag: String,
    pub to_tag: String,
    pub tag: TagPlan,
    /// The old tag imports the same source as the new one (redis, mysql, postgresql): the new tag
    /// should resolve to the image the DCs run, so no rollout is expected.
    pub same_source: bool,
    pub dcs: Vec<DcPlan>,
}

impl ComponentPlan {
    pub fn old_istag(&self) -> String {
        format!("{}:{}", self.stream, self.from_tag)
    }

    pub fn new_istag(&self) -> String {
        format!("{}:{}", self.stream, self.to_tag)
    }

    pub fn tag_istag(&self) -> String {
        format!("{}:{}", self.stream, self.tag.name)
    }

    pub fn pending(&self) -> bool {
        self.dcs.iter().any(|d| d.action != DcAction::Done)
    }
}

/// How far a DC's trigger change got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SwitchStage {
    /// The old trigger is gone, the new one not yet added.
    OldRemoved,
    /// On the new trigger.
    NewAdded,
}

/// A DC on the new trigger (or half-way there): what switching it back needs.
#[derive(Debug, Clone, Serialize)]
pub struct Switched {
    pub dc: String,
    pub old_istag: String,
    pub new_istag: String,
    pub containers: Vec<String>,
    pub stage: SwitchStage,
    /// Switched by this run (otherwise by an earlier one).
    pub by_this_run: bool,
    /// Its latest rollout had not completed when the run stopped.
    pub rollout_unfinished: bool,
    /// Where the new trigger sits in `spec.triggers`, when known: the switch back is then one guarded write.
    pub trigger_index: Option<usize>,
}

impl Switched {
    /// The commands that put the old trigger back, in order.
    pub fn revert_commands(&self, oc: &Oc) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        if self.rollout_unfinished {
            cmds.push(oc.rollout_cancel(&self.dc));
        }
        if let (SwitchStage::NewAdded, Some(index)) = (self.stage, self.trigger_index) {
            cmds.push(oc.switch_image_trigger(
                &self.dc,
                index,
                &self.new_istag,
                &self.old_istag,
                &self.containers,
            ));
            return cmds;
        }
        if self.stage == SwitchStage::NewAdded {
            cmds.push(oc.remove_image_trigger(&self.dc, &self.new_istag, &self.containers));
        }
        cmds.push(oc.set_image_trigger(&self.dc, &self.old_istag, &self.containers));
        cmds
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DcOutcome {
    /// Switched and rolled out.
    RolledOut,
    /// Switched; the new tag's image is the one it already ran, so no rollout was due.
    NoRolloutNeeded,
    /// Was already on the new trigger; its unfinished rollout was waited for.
    Continued,
    /// Was already on the new trigger and rolled out.
    AlreadyDone,
}

/// The summary line of one DC.
#[derive(Debug, Clone, Serialize)]
pub struct DcResult {
    pub component: String,
    pub dc: String,
    pub from_trigger: String,
    pub to_trigger: String,
    pub image_before: String,
    pub image_after: String,
    pub revision_before: i64,
    pub revision_after: i64,
    pub outcome: DcOutcome,
    /// From the trigger change to the completed rollout.
    pub seconds: f64,
}

pub struct Ctx {
    pub cfg: Config,
    pub upgrade: &'static Upgrade,
    pub oc: Oc,
    pub user: String,
    pub oc_version: String,
    /// The database the run works with (given or detected); `None`: not Oracle, kind unknown (external).
    pub db: Option<Db>,
    /// How the database was determined, for messages.
    pub db_reason: String,
    pub amp_release: Option<String>,
    /// Selected components that exist in the project, in the table's order.
    pub plan: Vec<ComponentPlan>,
    /// Selected optional components without a DeploymentConfig (skipped).
    pub absent: Vec<String>,
    /// `IS:TAG` -> the image it resolves to.
    pub resolved: BTreeMap<String, String>,
    pub tags_added: Vec<String>,
    pub switched: Vec<Switched>,
    pub results: Vec<DcResult>,
    pub warnings: Vec<String>,
}

impl Ctx {
    pub fn new(cfg: Config, upgrade: &'static Upgrade) -> Self {
        Ctx {
            oc: Oc::new(cfg.target.clone()),
            cfg,
            upgrade,
            user: String::new(),
            oc_version: String::new(),
            db: None,
            db_reason: String::new(),
            amp_release: None,
            plan: Vec::new(),
            absent: Vec::new(),
            resolved: BTreeMap::new(),
            tags_added: Vec::new(),
            switched: Vec::new(),
            results: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn oracle(&self) -> bool {
        self.db == Some(Db::Oracle)
    }

    pub fn component(&self, stream: &str) -> Option<&ComponentPlan> {
        self.plan.iter().find(|c| c.stream == stream)
    }

    pub fn db_text(&self) -> String {
        match self.db {
            Some(db) => format!("{db} ({})", self.db_reason),
            None => format!("not Oracle ({})", self.db_reason),
        }
    }

    /// Records (or updates) a DC's place on the way to the new trigger.
    pub fn note_switched(&mut self, entry: Switched) {
        match self.switched.iter_mut().find(|s| s.dc == entry.dc) {
            Some(existing) => *existing = entry,
            None => self.switched.push(entry),
        }
    }

    pub fn forget_switched(&mut self, dc: &str) {
        self.switched.retain(|s| s.dc != dc);
    }

    pub fn set_rollout_unfinished(&mut self, dc: &str, unfinished: bool) {
        if let Some(s) = self.switched.iter_mut().find(|s| s.dc == dc) {
            s.rollout_unfinished = unfinished;
        }
    }

    /// Every command that switches the DCs on the new triggers back, in reverse order of switching.
    pub fn revert_commands(&self) -> Vec<Cmd> {
        self.switched
            .iter()
            .rev()
            .flat_map(|s| s.revert_commands(&self.oc))
            .collect()
    }

    /// The commands that remove the tags this run added.
    pub fn untag_commands(&self) -> Vec<Cmd> {
        self.tags_added
            .iter()
            .filter_map(|istag| istag.split_once(':'))
            .map(|(stream, tag)| self.oc.delete_tag(stream, tag))
            .collect()
    }

    /// A failure while DCs are on the new triggers (switched by this run or an earlier one) is a failure
    /// after changes began (exit 1, or 130 when interrupted), even when this run itself changed nothing.
    pub fn mid_change(&self, err: anyhow::Error) -> anyhow::Error {
        if self.switched.is_empty() {
            return err;
        }
        let code = if crate::signals::interrupted() {
            Exit::Interrupted
        } else {
            Exit::FailedRestored
        };
        crate::exit::coded(code, format!("{err:#}"))
    }

    /// For a second Ctrl-C: what puts the triggers back.
    pub fn update_restore_hint(&self) {
        let cmds = self.revert_commands();
        crate::signals::set_restore_hint(if cmds.is_empty() {
            None
        } else {
            Some(
                cmds.iter()
                    .map(Cmd::display)
                    .collect::<Vec<_>>()
                    .join(" && "),
            )
        });
    }
}
