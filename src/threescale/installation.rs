//! Is there a 3scale installation in the project at all? Asked before anything else, so that a wrong
//! `-n` gets one line instead of a "not found" per image stream and DeploymentConfig.

use crate::ops::oc::{DeploymentConfig, ImageStream};

use super::release::Upgrade;

/// `None` when at least one of the upgrade's image streams or DeploymentConfigs exists in `project`.
pub(crate) fn missing_installation(
    upgrade: &Upgrade,
    project: &str,
    streams: &[ImageStream],
    dcs: &[DeploymentConfig],
) -> Option<String> {
    let known_stream = |name: &str| upgrade.components.iter().any(|c| c.stream == name);
    let known_dc = |name: &str| {
        upgrade
            .components
            .iter()
            .any(|c| c.dcs.iter().any(|d| d.name == name))
    };
    let found =
        streams.iter().any(|s| known_stream(s.name())) || dcs.iter().any(|d| known_dc(d.name()));
    (!found).then(|| {
        format!(
            "no 3scale installation in project {project:?}: none of the 3scale image streams (amp-system, amp-apicast, ...) \
             or DeploymentConfigs (system-app, apicast-production, ...) exist there. Check -n/--namespace: the project \
             3scale was installed in (`oc get dc -A -l app=3scale-api-management` finds it)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threescale::release;

    fn stream(name: &str) -> ImageStream {
        serde_json::from_value(serde_json::json!({"metadata": {"name": name}})).unwrap()
    }

    #[test]
    fn a_project_without_any_3scale_object_is_named_once() {
        let upgrade = release::find("2.9", "2.10").unwrap();
        let line = missing_installation(upgrade, "exastro", &[stream("ita-api")], &[]).unwrap();
        assert!(
            line.starts_with("no 3scale installation in project \"exastro\""),
            "{line}"
        );
        assert!(!line.contains('\n'));
        assert_eq!(
            missing_installation(upgrade, "3scale", &[stream("amp-system")], &[]),
            None
        );
    }
}
