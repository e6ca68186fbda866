//! THE release data: for each supported version pair, every component (image stream) with its new image,
//! display name and the DeploymentConfigs (and their containers) whose ImageChange trigger moves to the new
//! tag. Adding 2.10 -> 2.11 is one more entry in [`UPGRADES`]; no logic changes.
//!
//! Source: the 3scale 2.10 upgrade guide, "3scale image upgrade" (system rows verbatim in the seed runbook;
//! the others from the same guide's other sections and the 2.10 templates), see docs/DOMAIN.md §4.

use serde::Serialize;

/// The registry the guide's images come from; `--registry` replaces it (mirrored or disconnected clusters).
pub(crate) const REDHAT_REGISTRY: &str = "registry.redhat.io";

/// A DeploymentConfig and the containers its ImageChange trigger names (init containers included).
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct DcSpec {
    pub(crate) name: &'static str,
    pub(crate) containers: &'static [&'static str],
}

/// Whether a component must exist in every 3scale install.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Presence {
    Required,
    /// Only when its DeploymentConfig exists (external redis/database installs have none); silently
    /// skipped otherwise.
    IfDcExists,
}

/// One image stream and what moves with it.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct ComponentSpec {
    /// The image stream name, which is also the `--component` name.
    pub(crate) stream: &'static str,
    /// The new tag's source image, with the Red Hat registry.
    pub(crate) image: &'static str,
    /// `openshift.io/display-name` of the new tag.
    pub(crate) display_name: &'static str,
    pub(crate) presence: Presence,
    /// With an Oracle database the DCs trigger on `<version>-oracle` tags, built in the cluster.
    pub(crate) oracle_tags: bool,
    pub(crate) dcs: &'static [DcSpec],
}

/// How the Oracle variant of the system image is produced (it must exist before the triggers move).
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct OracleBuild {
    pub(crate) build_config: &'static str,
}

/// One supported upgrade.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Upgrade {
    pub(crate) from: &'static str,
    pub(crate) to: &'static str,
    /// The value of AMP_RELEASE in ConfigMap system-environment after the upgrade.
    pub(crate) amp_release: &'static str,
    pub(crate) oracle_build: OracleBuild,
    /// In the guide's order: the order tags are added and triggers switched.
    pub(crate) components: &'static [ComponentSpec],
}

const fn dc(name: &'static str, containers: &'static [&'static str]) -> DcSpec {
    DcSpec { name, containers }
}

pub(crate) const UPGRADES: &[Upgrade] = &[Upgrade {
    from: "2.9",
    to: "2.10",
    amp_release: "2.10",
    oracle_build: OracleBuild {
        build_config: "3scale-amp-system-oracle",
    },
    components: &[
        ComponentSpec {
            stream: "amp-system",
            image: "registry.redhat.io/3scale-amp2/system-rhel7:3scale2.10",
            display_name: "AMP system 2.10",
            presence: Presence::Required,
            oracle_tags: true,
            dcs: &[
                dc(
                    "system-app",
                    &["system-master", "system-developer", "system-provider"],
                ),
                dc("system-sidekiq", &["system-sidekiq", "check-svc"]),
                dc("system-sphinx", &["system-sphinx", "system-master-svc"]),
            ],
        },
        ComponentSpec {
            stream: "amp-apicast",
            image: "registry.redhat.io/3scale-amp2/apicast-gateway-rhel8:3scale2.10",
            display_name: "AMP APIcast 2.10",
            presence: Presence::Required,
            oracle_tags: false,
            dcs: &[
                dc("apicast-staging", &["apicast-staging"]),
                dc(
                    "apicast-production",
                    &["apicast-production", "system-master-svc"],
                ),
            ],
        },
        ComponentSpec {
            stream: "amp-backend",
            image: "registry.redhat.io/3scale-amp2/backend-rhel7:3scale2.10",
            display_name: "AMP Backend 2.10",
            presence: Presence::Required,
            oracle_tags: false,
            dcs: &[
                dc("backend-listener", &["backend-listener"]),
                dc("backend-worker", &["backend-worker", "backend-redis-svc"]),
                dc("backend-cron", &["backend-cron", "backend-redis-svc"]),
            ],
        },
        ComponentSpec {
            stream: "amp-zync",
            image: "registry.redhat.io/3scale-amp2/zync-rhel7:3scale2.10",
            display_name: "AMP Zync 2.10",
            presence: Presence::Required,
            oracle_tags: false,
            dcs: &[
                dc("zync", &["zync", "zync-db-svc"]),
                dc("zync-que", &["que"]),
            ],
        },
        ComponentSpec {
            stream: "system-memcached",
            image: "registry.redhat.io/3scale-amp2/memcached-rhel7:3scale2.10",
            display_name: "System 2.10 Memcached",
            presence: Presence::Required,
            oracle_tags: false,
            dcs: &[dc("system-memcache", &["memcache"])],
        },
        ComponentSpec {
            stream: "zync-database-postgresql",
            image: "registry.redhat.io/rhscl/postgresql-10-rhel7",
            display_name: "Zync 2.10 PostgreSQL",
            presence: Presence::Required,
            oracle_tags: false,
            dcs: &[dc("zync-database", &["postgresql"])],
        },
        ComponentSpec {
            stream: "backend-redis",
            image: "registry.redhat.io/rhscl/redis-32-rhel7:3.2",
            display_name: "Backend 2.10 Redis",
            presence: Presence::IfDcExists,
            oracle_tags: false,
            dcs: &[dc("backend-redis", &["backend-redis"])],
        },
        ComponentSpec {
            stream: "system-redis",
            image: "registry.redhat.io/rhscl/redis-32-rhel7:3.2",
            display_name: "System 2.10 Redis",
            presence: Presence::IfDcExists,
            oracle_tags: false,
            dcs: &[dc("system-redis", &["system-redis"])],
        },
        ComponentSpec {
            stream: "system-mysql",
            image: "registry.redhat.io/rhscl/mysql-57-rhel7:5.7",
            display_name: "System 2.10 MySQL",
            presence: Presence::IfDcExists,
            oracle_tags: false,
            dcs: &[dc("system-mysql", &["system-mysql"])],
        },
        ComponentSpec {
            stream: "system-postgresql",
            image: "registry.redhat.io/rhscl/postgresql-10-rhel7",
            display_name: "System 2.10 PostgreSQL",
            presence: Presence::IfDcExists,
            oracle_tags: false,
            dcs: &[dc("system-postgresql", &["system-postgresql"])],
        },
    ],
}];

/// The DC whose existence means the system database is MySQL / PostgreSQL in the project.
pub(crate) const MYSQL_DC: &str = "system-mysql";
pub(crate) const POSTGRESQL_DC: &str = "system-postgresql";

/// The upgrade from `from` to `to`, if supported.
pub(crate) fn find(from: &str, to: &str) -> Option<&'static Upgrade> {
    UPGRADES.iter().find(|u| u.from == from && u.to == to)
}

/// Every supported `(from, to)` pair.
pub fn supported_versions() -> Vec<(&'static str, &'static str)> {
    UPGRADES.iter().map(|u| (u.from, u.to)).collect()
}

/// The supported pairs as `2.9 -> 2.10, ...` for messages.
pub(crate) fn supported_text() -> String {
    supported_versions()
        .iter()
        .map(|(f, t)| format!("{f} -> {t}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every `--component` name (image stream), in table order, over all supported upgrades.
pub fn component_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for upgrade in UPGRADES {
        for c in upgrade.components {
            if !names.contains(&c.stream) {
                names.push(c.stream);
            }
        }
    }
    names
}

impl Upgrade {}

impl ComponentSpec {
    /// The trigger tag for `version`: `2.10`, or `2.10-oracle` for the system image on Oracle.
    pub(crate) fn trigger_tag(&self, version: &str, oracle: bool) -> String {
        if self.oracle_tags && oracle {
            format!("{version}-oracle")
        } else {
            version.to_string()
        }
    }

    /// The new tag's source image, with the registry rewritten for mirrors.
    pub(crate) fn image_from(&self, registry: Option<&str>) -> String {
        rewrite_registry(self.image, registry)
    }
}

/// Replaces the `registry.redhat.io` prefix with `HOST[/PATH]`.
pub(crate) fn rewrite_registry(image: &str, registry: Option<&str>) -> String {
    match (registry, image.strip_prefix(REDHAT_REGISTRY)) {
        (Some(mirror), Some(rest)) if rest.starts_with('/') => format!("{mirror}{rest}"),
        _ => image.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        let names = component_names();
        assert_eq!(
            names,
            vec![
                "amp-system",
                "amp-apicast",
                "amp-backend",
                "amp-zync",
                "system-memcached",
                "zync-database-postgresql",
                "backend-redis",
                "system-redis",
                "system-mysql",
                "system-postgresql"
            ]
        );
        for upgrade in UPGRADES {
            let mut dcs: Vec<&str> = Vec::new();
            for c in upgrade.components {
                assert!(c.image.starts_with(REDHAT_REGISTRY), "{}", c.image);
                assert!(!c.dcs.is_empty());
                for d in c.dcs {
                    assert!(!dcs.contains(&d.name), "{} listed twice", d.name);
                    assert!(!d.containers.is_empty());
                    dcs.push(d.name);
                }
            }
            assert_eq!(
                upgrade.components.iter().filter(|c| c.oracle_tags).count(),
                1
            );
        }
        assert_eq!(supported_versions(), vec![("2.9", "2.10")]);
        assert!(find("2.9", "2.10").is_some());
        assert!(find("2.8", "2.10").is_none());
        let up = find("2.9", "2.10").unwrap();
        assert_eq!(
            up.components
                .iter()
                .find(|c| c.stream == "system-memcached")
                .unwrap()
                .dcs[0]
                .name,
            "system-memcache"
        );
        assert_eq!(
            up.components
                .iter()
                .find(|c| c.stream == "amp-zync")
                .unwrap()
                .dcs[1]
                .containers,
            &["que"]
        );
    }

    #[test]
    fn tags_and_registry() {
        let system = find("2.9", "2.10").unwrap().components[0];
        assert_eq!(system.trigger_tag("2.9", true), "2.9-oracle");
        assert_eq!(system.trigger_tag("2.10", false), "2.10");
        assert_eq!(
            system.image_from(Some("mirror.example.com:5000/rh")),
            "mirror.example.com:5000/rh/3scale-amp2/system-rhel7:3scale2.10"
        );
        assert_eq!(system.image_from(None), system.image);
        assert_eq!(
            rewrite_registry("quay.io/x/y:1", Some("m")),
            "quay.io/x/y:1"
        );
        assert_eq!(
            rewrite_registry("registry.redhat.io.evil/x", Some("m")),
            "registry.redhat.io.evil/x"
        );
    }
}
