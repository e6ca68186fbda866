//! kubectl/oc plugins that turn two vendor upgrade runbooks into safe, observable commands.
//!
//! Layers, from the edge inwards: `cli` types (clap) become plain config structs in each plugin module;
//! plugins build a [`runbook::Runbook`] of steps; steps call typed wrappers in [`ops`]; every subprocess
//! goes through the one [`process::Runner`]; all terminal output goes through [`output::Reporter`].

// Output goes through `output` (progress, warnings, results): a stray print would tear the spinner.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub(crate) mod base64;
pub(crate) mod cli_args;
pub mod complete;
pub mod exastro;
pub mod exit;
pub mod manual;
pub(crate) mod ops;
pub(crate) mod output;
pub(crate) mod plugin_main;
pub(crate) mod plugin_run;
pub mod plugins;
pub(crate) mod process;
pub(crate) mod quote;
pub(crate) mod runbook;
pub(crate) mod semver;
pub(crate) mod signals;
pub(crate) mod state_dir;
pub mod threescale;
pub(crate) mod values;
pub(crate) mod wait;
