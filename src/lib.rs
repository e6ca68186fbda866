//! kubectl/oc plugins that turn two vendor upgrade runbooks into safe, observable commands.
//!
//! Layers, from the edge inwards: `cli` types (clap) become plain config structs in each plugin module;
//! plugins build a [`runbook::Runbook`] of steps; steps call typed wrappers in [`ops`]; every subprocess
//! goes through the one [`process::Runner`]; all terminal output goes through [`output::Reporter`].

pub mod base64;
pub mod cli_args;
pub mod complete;
pub mod exastro;
pub mod exit;
pub mod manual;
pub mod ops;
pub mod output;
pub mod plugin_main;
pub mod plugins;
pub mod process;
pub mod quote;
pub mod runbook;
pub mod semver;
pub mod signals;
pub mod state_dir;
pub mod threescale;
pub mod values;
pub mod wait;
