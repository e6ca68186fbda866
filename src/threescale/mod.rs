//! `oc 3scale-upgrade`: the 3scale 2.9 -> 2.10 image upgrade (template-based installs, DeploymentConfigs)
//! as an oc plugin: add the new image stream tags, move each DC's ImageChange trigger to them one at a
//! time, and wait until each has really rolled out.

pub(crate) mod cli;
pub(crate) mod commands;
pub mod completion;
pub(crate) mod config;
pub(crate) mod context;
pub(crate) mod installation;
pub(crate) mod manual;
pub(crate) mod oracle;
pub(crate) mod oracle_plan;
pub(crate) mod release;
pub(crate) mod report;
mod status;
pub(crate) mod steps;

use clap::Parser;

pub(crate) mod aliases;
pub use release::{component_names, supported_versions};

/// What the plugin does after a first Ctrl-C.
const INTERRUPT_TEXT: &str = "stopping after the write in progress: no further DC is switched and none is switched back (a rollout already started goes on in the cluster); the end lists where each DC stands and the commands to continue or to switch back";

/// Entry point of `oc-3scale_upgrade`; returns the process exit code.
pub fn main() -> i32 {
    let cli = cli::Cli::parse();
    crate::plugin_main::run(INTERRUPT_TEXT, || match cli.command {
        cli::Command::PatchImages(args) => {
            let cfg = args.config();
            let preview = cfg.dry_run;
            commands::run(cfg, preview)
        }
        cli::Command::Plan(args) => commands::run(args.config(), true),
        cli::Command::Status(args) => status::status(args.config()),
        cli::Command::BuildOracleImage(args) => {
            let cfg = args.config();
            let preview = cfg.dry_run;
            commands::run(cfg, preview)
        }
        cli::Command::Completion { shell } => {
            crate::complete::print_script(
                shell,
                <cli::Cli as clap::CommandFactory>::command(),
                "oc-3scale_upgrade",
            );
            Ok(crate::exit::Exit::Ok)
        }
    })
}
