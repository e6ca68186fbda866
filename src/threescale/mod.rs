//! `oc 3scale-upgrade`: the 3scale 2.9 -> 2.10 image upgrade (template-based installs, DeploymentConfigs)
//! as an oc plugin: add the new image stream tags, move each DC's ImageChange trigger to them one at a
//! time, and wait until each has really rolled out.

pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod release;
pub mod report;
pub mod steps;

use clap::Parser;

use crate::exit::render_error;

pub mod aliases;
pub use release::{component_names, supported_versions};

/// Entry point of `oc-3scale_upgrade`; returns the process exit code.
pub fn main() -> i32 {
    let cli = cli::Cli::parse();
    crate::signals::install(
        "stopping after the write in progress: no further DC is switched and none is switched back (a rollout already started goes on in the cluster); the end lists where each DC stands and the commands to continue or to switch back",
    );
    let result = match cli.command {
        cli::Command::PatchImages(args) => {
            let cfg = args.config();
            let preview = cfg.dry_run;
            commands::run(cfg, preview)
        }
        cli::Command::Plan(args) => commands::run(args.config(), true),
        cli::Command::Status(args) => commands::status(args.config()),
        cli::Command::Completion { shell } => {
            return crate::complete::print_script(
                shell,
                <cli::Cli as clap::CommandFactory>::command(),
                "oc-3scale_upgrade",
            );
        }
    };
    match result {
        Ok(code) => code as i32,
        Err(err) => {
            eprintln!("{}", render_error(&err));
            crate::exit::code_of(&err) as i32
        }
    }
}
