//! Atomic ImageChange trigger edits on a DeploymentConfig: each change is ONE JSON patch guarded by a
//! `test` of what the trigger is now (optimistic concurrency: a concurrent change fails the test instead
//! of being overwritten), so no DC is ever left without an image trigger between two writes, as it can be
//! between the guide's `oc set triggers --remove` and `oc set triggers --from-image`.

use serde_json::{json, Value};

use super::oc::{DeploymentConfig, Oc};
use crate::process::Cmd;

/// The trigger `oc set triggers dc/X --from-image=IS:TAG --containers=...` creates.
pub(crate) fn image_trigger(istag: &str, containers: &[String]) -> Value {
    json!({
        "type": "ImageChange",
        "imageChangeParams": {
            "automatic": true,
            "containerNames": containers,
            "from": {"kind": "ImageStreamTag", "name": istag}
        }
    })
}

/// Where a DC's ImageChange trigger on `istag` sits in `spec.triggers` (JSON patch paths are by index).
pub(crate) fn trigger_index(dc: &DeploymentConfig, istag: &str) -> Option<usize> {
    index_in(&raw_triggers(dc), istag)
}

/// `spec.triggers` exactly as read.
pub(crate) fn raw_triggers(dc: &DeploymentConfig) -> Value {
    Value::Array(dc.spec.triggers.iter().map(|t| t.raw.clone()).collect())
}

fn index_in(triggers: &Value, istag: &str) -> Option<usize> {
    triggers
        .as_array()?
        .iter()
        .position(|t| t["type"] == "ImageChange" && t["imageChangeParams"]["from"]["name"] == istag)
}

/// The three ways onto the new trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TriggerWrite {
    /// The old trigger becomes the new one.
    Switch,
    /// No image trigger: add the new one.
    AddNew,
    /// Old and new side by side: remove the old one.
    DropOld,
}

fn from_name_path(index: usize) -> String {
    format!("/spec/triggers/{index}/imageChangeParams/from/name")
}

impl Oc {
    /// The one guarded write that puts `dc` (whose `spec.triggers` are `triggers`, as read) on `new`;
    /// `None` when the triggers do not have what the write needs (the old trigger is not there).
    pub(crate) fn trigger_write(
        &self,
        dc: &str,
        triggers: &Value,
        write: TriggerWrite,
        old: &str,
        new: &str,
        containers: &[String],
    ) -> Option<Cmd> {
        Some(match write {
            TriggerWrite::Switch => {
                self.switch_image_trigger(dc, index_in(triggers, old)?, old, new, containers)
            }
            TriggerWrite::DropOld => self.drop_image_trigger(dc, index_in(triggers, old)?, old),
            TriggerWrite::AddNew => {
                self.add_image_trigger_if_unchanged(dc, triggers, new, containers)
            }
        })
    }

    fn json_patch(&self, dc: &str, ops: Value) -> Cmd {
        self.scoped(
            false,
            &["patch", &format!("dc/{dc}")],
            ["--type=json".to_string(), "-p".into(), ops.to_string()],
        )
        // One object, one write: a rejected patch changed nothing.
        .atomic()
    }

    /// Switches trigger `index` from `from` to `to` in one write: fails (422) if it is no longer on `from`.
    pub(crate) fn switch_image_trigger(
        &self,
        dc: &str,
        index: usize,
        from: &str,
        to: &str,
        containers: &[String],
    ) -> Cmd {
        self.json_patch(
            dc,
            json!([
                {"op": "test", "path": from_name_path(index), "value": from},
                {"op": "replace", "path": format!("/spec/triggers/{index}"), "value": image_trigger(to, containers)}
            ]),
        )
    }

    /// Adds a trigger on `istag` to a DC that has none for these containers, if its triggers are still
    /// exactly `current` (what was read).
    pub(crate) fn add_image_trigger_if_unchanged(
        &self,
        dc: &str,
        current: &Value,
        istag: &str,
        containers: &[String],
    ) -> Cmd {
        self.json_patch(
            dc,
            json!([
                {"op": "test", "path": "/spec/triggers", "value": current},
                {"op": "add", "path": "/spec/triggers/-", "value": image_trigger(istag, containers)}
            ]),
        )
    }

    /// Removes trigger `index` if it is still on `istag` (the leftover old trigger beside the new one).
    pub(crate) fn drop_image_trigger(&self, dc: &str, index: usize, istag: &str) -> Cmd {
        self.json_patch(
            dc,
            json!([
                {"op": "test", "path": from_name_path(index), "value": istag},
                {"op": "remove", "path": format!("/spec/triggers/{index}")}
            ]),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::target::KubeTarget;

    fn oc() -> Oc {
        Oc::new(KubeTarget {
            namespace: "3scale".into(),
            ..Default::default()
        })
    }

    #[test]
    fn a_switch_is_one_guarded_write() {
        let containers = vec!["system-master".to_string(), "system-provider".to_string()];
        let cmd = oc().switch_image_trigger(
            "system-app",
            1,
            "amp-system:2.9",
            "amp-system:2.10",
            &containers,
        );
        assert_eq!(
            cmd.display(),
            r#"oc patch dc/system-app -n 3scale --type=json -p '[{"op":"test","path":"/spec/triggers/1/imageChangeParams/from/name","value":"amp-system:2.9"},{"op":"replace","path":"/spec/triggers/1","value":{"imageChangeParams":{"automatic":true,"containerNames":["system-master","system-provider"],"from":{"kind":"ImageStreamTag","name":"amp-system:2.10"}},"type":"ImageChange"}}]'"#
        );
        assert!(cmd.is_mutating());
    }
}
