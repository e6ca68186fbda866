//! `kubectl exastro-upgrade`: the Exastro helm upgrade runbook as a kubectl plugin.

pub mod backup;
pub mod chart;
pub mod cli;
pub mod commands;
pub mod completion;
pub mod config;
pub mod context;
pub mod helm_resets;
pub mod journal;
pub mod lease;
pub mod manual;
pub mod report;
pub mod restore;
pub mod steps;
pub mod stop_set;

use clap::Parser;

/// What the plugin does after a first Ctrl-C.
const INTERRUPT_TEXT: &str =
    "finishing the command in progress (helm is never cut off), then putting every recorded replica count back";

/// Entry point of `kubectl-exastro_upgrade`; returns the process exit code.
pub fn main() -> i32 {
    let cli = cli::Cli::parse();

    crate::plugin_main::run(INTERRUPT_TEXT, || match cli.command {
        cli::Command::Run(args) => {
            let cfg = args.config();
            let preview = cfg.dry_run;
            commands::run(cfg, preview)
        }
        cli::Command::Plan(args) => commands::run(args.config(), true),
        cli::Command::ValuesDiff(args) => commands::values_diff(args.config()),
        cli::Command::Status(args) => commands::status(args.config()),
        cli::Command::Restore(args) => commands::restore(args.config()),
        cli::Command::Backup(args) => commands::backup(args.config(), args.dir.clone()),
        cli::Command::Completion { shell } => {
            crate::complete::print_script(
                shell,
                <cli::Cli as clap::CommandFactory>::command(),
                "kubectl-exastro_upgrade",
            );
            Ok(crate::exit::Exit::Ok)
        }
    })
}
