//! The `kubectl_complete-*` / `oc_complete-*` executables: argv in, protocol text out, always exit 0.

use std::io::Write;

use super::candidates::answer;
use super::lookups::ClusterLookup;
use super::plugins::Plugin;
use super::protocol::{Directive, Reply};

/// `args` are the words after the plugin name; kubectl always passes the word under the cursor last
/// (`""` after a space). Called with nothing at all, complete an empty word.
pub(crate) fn run(plugin: &Plugin, args: Vec<String>) -> i32 {
    let words = if args.is_empty() {
        vec![String::new()]
    } else {
        args
    };
    // Whatever happens, nothing may be printed into the user's prompt: a bug becomes Cobra's "error"
    // directive (the shell then offers nothing), not a panic message.
    std::panic::set_hook(Box::new(|_| {}));
    let reply =
        std::panic::catch_unwind(|| answer(plugin, &words, &ClusterLookup::new(plugin.tool)))
            .unwrap_or_else(|_| Reply::new(Vec::new(), Directive::ERROR));
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (the shell gave up) is not worth an error message in the middle of a prompt.
    let _ = stdout.write_all(reply.render().as_bytes());
    let _ = stdout.flush();
    0
}
