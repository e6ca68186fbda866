//! Typed wrappers around the external tools. Each builds [`Cmd`](crate::process::Cmd)s (so plans can show
//! them) and parses the tools' JSON into serde structs.

pub mod access;
pub mod helm;
pub mod k8s;
pub mod kubectl;
pub mod oc;
pub mod oc_triggers;
pub mod openshift;
pub mod target;
