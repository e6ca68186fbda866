//! The one runner for every subprocess (helm, kubectl, oc).
//!
//! It resolves each executable once with `which`, shows the shell-quoted command line (`-v`), captures
//! stdout and stderr, puts the command line, exit status and stderr into every failure, bounds every call
//! with a timeout, retries idempotent calls on transient API errors, refuses mutating calls in dry-run mode
//! and starts children in their own process group so a terminal Ctrl-C cannot kill `helm upgrade` halfway.
//! No shell is ever involved: argv only.

mod attempts;
mod background;
mod cmd;
mod error;
pub(crate) mod retry;
mod runner;

pub(crate) use attempts::RetriedCall;
pub(crate) use background::Background;
pub(crate) use cmd::{Cmd, Effect};
pub(crate) use error::{FailureKind, Output, ProcessError};
pub(crate) use runner::{parse_json, parsed, Runner};
