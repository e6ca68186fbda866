//! Ctrl-C and SIGTERM. Children run in their own process group (see `process`), so a terminal Ctrl-C only
//! reaches us. First signal: finish the command in progress, put the recorded state back, exit 130.
//! Second signal: stop at once, keep the journal and print the command that puts things back.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

static COUNT: AtomicUsize = AtomicUsize::new(0);
static RESTORE_HINT: Mutex<Option<String>> = Mutex::new(None);
static INSTALL: Once = Once::new();

/// Starts listening for SIGINT and SIGTERM (idempotent). `first` says what the plugin does after the
/// first one: each plugin says it in its own terms (putting counts back, or stopping between DCs).
pub(crate) fn install(first: &'static str) {
    INSTALL.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new([
            signal_hook::consts::SIGINT,
            signal_hook::consts::SIGTERM,
        ]) else {
            return;
        };
        std::thread::spawn(move || {
            for _ in signals.forever() {
                let n = COUNT.fetch_add(1, Ordering::SeqCst) + 1;
                if n == 1 {
                    crate::output::stderr_line(&format!(
                        "\ninterrupt: {first} (press Ctrl-C again to stop at once)"
                    ));
                } else {
                    match restore_hint() {
                        Some(cmd) => crate::output::stderr_line(&format!(
                            "\nsecond interrupt: stopping now. To put everything back run:\n  {cmd}"
                        )),
                        None => crate::output::stderr_line(
                            "\nsecond interrupt: stopping now. Nothing had been changed.",
                        ),
                    }
                    std::process::exit(130);
                }
            }
        });
    });
}

pub(crate) fn interrupted() -> bool {
    COUNT.load(Ordering::SeqCst) > 0
}

/// The command that puts things back, once something was changed.
pub(crate) fn restore_hint() -> Option<String> {
    RESTORE_HINT.lock().map(|h| h.clone()).unwrap_or(None)
}

/// The command printed if the user insists on stopping at once (set once something was changed).
pub(crate) fn set_restore_hint(command: Option<String>) {
    if let Ok(mut hint) = RESTORE_HINT.lock() {
        *hint = command;
    }
}
