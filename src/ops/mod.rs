//! Typed wrappers around the external tools. Each builds [`Cmd`](crate::process::Cmd)s (so plans can show
//! them) and parses the tools' JSON into serde structs.

pub(crate) mod access;
pub(crate) mod exastro_admin;
pub(crate) mod helm;
pub(crate) mod helm4;
pub(crate) mod k8s;
pub(crate) mod kubectl;
pub(crate) mod oc;
pub(crate) mod oc_triggers;
pub(crate) mod openshift;
pub(crate) mod target;
