//! The one `main` both plugins share: signal handling, the command's result as a documented exit code,
//! errors rendered the way cargo renders them, and a panic (a bug) turned into exit code 4 with the way
//! back instead of Rust's 101.

use std::panic::AssertUnwindSafe;

use crate::exit::{final_code, render_error, Exit};
use crate::output::stderr_line;
use crate::signals;

/// Runs one plugin command. `interrupt_text` says what the plugin does after a first Ctrl-C.
pub(crate) fn run(
    interrupt_text: &'static str,
    command: impl FnOnce() -> anyhow::Result<Exit>,
) -> i32 {
    signals::install(interrupt_text);
    match std::panic::catch_unwind(AssertUnwindSafe(command)) {
        Ok(Ok(code)) => code as i32,
        Ok(Err(err)) => {
            let code = final_code(&err);
            let mut text = render_error(&err);
            // an error after the first change that says nothing of the way back: the hint says it
            if code == Exit::NotRestored && crate::exit::code_of(&err) != code {
                if let Some(cmd) = signals::restore_hint() {
                    text.push_str(&format!(
                        "\nChanges had begun. Put everything back with:\n  {cmd}"
                    ));
                }
            }
            stderr_line(&text);
            code as i32
        }
        Err(_) => {
            stderr_line(&bug_text(signals::restore_hint()));
            Exit::Bug as i32
        }
    }
}

/// What a person needs after a panic: that it is a bug, and where the cluster stands.
fn bug_text(restore_hint: Option<String>) -> String {
    let state = match restore_hint {
        Some(cmd) => format!("Changes had begun. Put everything back with:\n  {cmd}"),
        None => "Nothing had been changed by this run.".into(),
    };
    format!(
        "error: internal error: this is a bug in the tool (the panic message above says where). {state}\n\
         Please report it with the output of the command re-run with -v."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_exit_4_with_the_way_back() {
        let code = run("test", || panic!("boom"));
        assert_eq!(code, 4);
        let text = bug_text(Some("kubectl exastro-upgrade restore -n exastro".into()));
        assert!(text
            .contains("Put everything back with:\n  kubectl exastro-upgrade restore -n exastro"));
        assert!(bug_text(None).contains("Nothing had been changed"));
    }

    #[test]
    fn errors_keep_their_code() {
        assert_eq!(
            run("test", || Err(crate::exit::bad_input("bad"))),
            Exit::BadInput as i32
        );
        assert_eq!(run("test", || Ok(Exit::Ok)), 0);
    }
}
