//! `kubectl exastro-upgrade`: the Exastro helm upgrade runbook as a kubectl plugin.

pub mod backup;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod helm_resets;
pub mod journal;
pub mod lease;
pub mod report;
pub mod restore;
pub mod steps;

use clap::Parser;

use crate::exit::render_error;

/// Entry point of `kubectl-exastro_upgrade`; returns the process exit code.
pub fn main() -> i32 {
    let cli = cli::Cli::parse();
    crate::signals::install(
        "finishing the command in progress (helm is never cut off), then putting every recorded replica count back",
    );
    let result = match cli.command {
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
            return crate::complete::print_script(
                shell,
                <cli::Cli as clap::CommandFactory>::command(),
                "kubectl-exastro_upgrade",
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
