//! What the steps of one run share: the configuration, the release data, the tool, what the preflight
//! planned, and what the run changed (for the summary and for the commands that switch things back).

use std::collections::BTreeMap;

use serde::Serialize;

use super::config::{Config, Db};
use super::release::{ComponentSpec, Upgrade};
use crate::exit::Exit;
use crate::ops::oc::Oc;
use crate::ops::openshift::IsTag;
use crate::process::Cmd;

/// What happens to one image stream's new tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum TagState {
    /// Not in the stream: the run adds it.
    Add,
    /// Already there with the same source: reused.
    Present,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TagPlan {
    pub(crate) name: String,
    pub(crate) source: String,
    pub(crate) display_name: String,
    pub(crate) state: TagState,
}

/// What happens to one DeploymentConfig.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum DcAction {
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
    /// The route to the new trigger, from the `from` names of a DC's ImageChange triggers: the one decision
    /// the preflight's plan and the run (right before it writes, since another run or a person may have
    /// moved the DC) both make. `None`: a state this tool does not repair. `Await` means "on the new
    /// trigger"; whether that rollout is done is the preflight's to judge.
    pub(crate) fn route(froms: &[&str], old: &str, new: &str) -> Option<DcAction> {
        let mut sorted = froms.to_vec();
        sorted.sort_unstable();
        let mut both = [old, new];
        both.sort_unstable();
        match froms {
            [] => Some(DcAction::AddNew),
            [f] if *f == new => Some(DcAction::Await),
            [f] if *f == old => Some(DcAction::Switch),
            [_, _] if sorted == both => Some(DcAction::DropOld),
            _ => None,
        }
    }

    /// Whether the run writes this DC's triggers (every way to the new trigger).
    pub(crate) fn writes_trigger(self) -> bool {
        matches!(
            self,
            DcAction::Switch | DcAction::AddNew | DcAction::DropOld
        )
    }

    /// What it does, for plans and reports.
    pub(crate) fn verb(self) -> &'static str {
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
pub(crate) struct DcPlan {
    pub(crate) name: String,
    pub(crate) containers: Vec<String>,
    pub(crate) action: DcAction,
    /// `status.latestVersion` when the preflight read it.
    pub(crate) latest_version: i64,
    /// The image of the listed containers when the preflight read it.
    pub(crate) image: String,
    /// `spec.triggers` as the preflight read it (the plan's guarded write tests against it).
    #[serde(skip)]
    pub(crate) triggers: serde_json::Value,
}

/// One selected component that exists in the project.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ComponentPlan {
    #[serde(skip)]
    pub(crate) spec: &'static ComponentSpec,
    pub(crate) stream: String,
    /// The trigger tag before (`2.9` or `2.9-oracle`) and after (`2.10` or `2.10-oracle`).
    pub(crate) from_tag: String,
    pub(crate) to_tag: String,
    pub(crate) tag: TagPlan,
    /// The old tag imports the same source as the new one (redis, mysql, postgresql): the new tag
    /// should resolve to the image the DCs run, so no rollout is expected.
    pub(crate) same_source: bool,
    pub(crate) dcs: Vec<DcPlan>,
}

impl ComponentPlan {
    pub(crate) fn old_istag(&self) -> String {
        format!("{}:{}", self.stream, self.from_tag)
    }

    pub(crate) fn new_istag(&self) -> String {
        format!("{}:{}", self.stream, self.to_tag)
    }

    /// The tag this run adds to the component's image stream.
    pub(crate) fn new_tag(&self) -> IsTag {
        IsTag {
            stream: self.stream.clone(),
            tag: self.tag.name.clone(),
        }
    }

    pub(crate) fn pending(&self) -> bool {
        self.dcs.iter().any(|d| d.action != DcAction::Done)
    }
}

/// How far a DC's trigger change got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum SwitchStage {
    /// The old trigger is gone, the new one not yet added.
    OldRemoved,
    /// On the new trigger.
    NewAdded,
}

/// A DC on the new trigger (or half-way there): what switching it back needs.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Switched {
    pub(crate) dc: String,
    pub(crate) old_istag: String,
    pub(crate) new_istag: String,
    pub(crate) containers: Vec<String>,
    pub(crate) stage: SwitchStage,
    /// Switched by this run (otherwise by an earlier one).
    pub(crate) by_this_run: bool,
    /// Its latest rollout had not completed when the run stopped.
    pub(crate) rollout_unfinished: bool,
    /// Where the new trigger sits in `spec.triggers`, when known: the switch back is then one guarded write.
    pub(crate) trigger_index: Option<usize>,
}

impl Switched {
    /// The commands that put the old trigger back, in order.
    pub(crate) fn revert_commands(&self, oc: &Oc) -> Vec<Cmd> {
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
pub(crate) enum DcOutcome {
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
pub(crate) struct DcResult {
    pub(crate) component: String,
    pub(crate) dc: String,
    pub(crate) from_trigger: String,
    pub(crate) to_trigger: String,
    pub(crate) image_before: String,
    pub(crate) image_after: String,
    pub(crate) revision_before: i64,
    pub(crate) revision_after: i64,
    pub(crate) outcome: DcOutcome,
    /// From the trigger change to the completed rollout.
    pub(crate) seconds: f64,
}

pub(crate) struct Ctx {
    pub(crate) cfg: Config,
    pub(crate) upgrade: &'static Upgrade,
    pub(crate) oc: Oc,
    pub(crate) user: String,
    pub(crate) oc_version: String,
    /// The kube context the run uses.
    pub(crate) context_name: String,
    /// The database the run works with (given or detected); `None`: not Oracle, kind unknown (external).
    pub(crate) db: Option<Db>,
    /// How the database was determined, for messages.
    pub(crate) db_reason: String,
    pub(crate) amp_release: Option<String>,
    /// Selected components that exist in the project, in the table's order.
    pub(crate) plan: Vec<ComponentPlan>,
    /// Selected optional components without a DeploymentConfig (skipped).
    pub(crate) absent: Vec<String>,
    /// `IS:TAG` -> the image it resolves to.
    pub(crate) resolved: BTreeMap<String, String>,
    pub(crate) tags_added: Vec<IsTag>,
    pub(crate) switched: Vec<Switched>,
    pub(crate) results: Vec<DcResult>,
    pub(crate) warnings: Vec<String>,
    /// Oracle with `--oracle-build-dir`: the BuildConfig, its builds, the pull secret (the preflight's read).
    pub(crate) oracle: Option<super::oracle_plan::Found>,
}

impl Ctx {
    pub(crate) fn new(cfg: Config, upgrade: &'static Upgrade) -> Self {
        Ctx {
            oc: Oc::new(cfg.target.clone()),
            cfg,
            upgrade,
            user: String::new(),
            oc_version: String::new(),
            context_name: String::new(),
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
            oracle: None,
        }
    }

    pub(crate) fn component(&self, stream: &str) -> Option<&ComponentPlan> {
        self.plan.iter().find(|c| c.stream == stream)
    }

    pub(crate) fn db_text(&self) -> String {
        match self.db {
            Some(db) => format!("{db} ({})", self.db_reason),
            None => format!("not Oracle ({})", self.db_reason),
        }
    }

    /// Records (or updates) a DC's place on the way to the new trigger.
    pub(crate) fn note_switched(&mut self, entry: Switched) {
        match self.switched.iter_mut().find(|s| s.dc == entry.dc) {
            Some(existing) => *existing = entry,
            None => self.switched.push(entry),
        }
    }

    pub(crate) fn set_rollout_unfinished(&mut self, dc: &str, unfinished: bool) {
        if let Some(s) = self.switched.iter_mut().find(|s| s.dc == dc) {
            s.rollout_unfinished = unfinished;
        }
    }

    /// Every command that switches the DCs on the new triggers back, in reverse order of switching.
    pub(crate) fn revert_commands(&self) -> Vec<Cmd> {
        self.switched
            .iter()
            .rev()
            .flat_map(|s| s.revert_commands(&self.oc))
            .collect()
    }

    /// The commands that remove the tags this run added.
    pub(crate) fn untag_commands(&self) -> Vec<Cmd> {
        self.tags_added
            .iter()
            .map(|added| self.oc.delete_tag(&added.stream, &added.tag))
            .collect()
    }

    /// A failure while DCs are on the new triggers (switched by this run or an earlier one) is a failure
    /// after changes began (exit 1, or 130 when interrupted), even when this run itself changed nothing.
    pub(crate) fn mid_change(&self, err: anyhow::Error) -> anyhow::Error {
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
    pub(crate) fn update_restore_hint(&self) {
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
