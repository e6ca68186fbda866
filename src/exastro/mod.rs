//! `kubectl exastro-upgrade`: the Exastro helm upgrade runbook as a kubectl plugin.

pub(crate) mod advice;
pub(crate) mod backup;
pub(crate) mod backup_data;
pub(crate) mod chart;
pub(crate) mod cli;
pub(crate) mod commands;
pub mod completion;
pub(crate) mod config;
pub(crate) mod context;
pub(crate) mod field_conflicts;
pub(crate) mod helm_resets;
pub(crate) mod journal;
pub(crate) mod lease;
pub(crate) mod maintenance;
pub(crate) mod manual;
pub(crate) mod procedure;
pub(crate) mod renewal;
pub(crate) mod report;
pub(crate) mod restore;
pub(crate) mod statefulset_trap;
pub(crate) mod steps;
pub(crate) mod stop_set;

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
