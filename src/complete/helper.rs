//! The `kubectl_complete-*` / `oc_complete-*` executables: argv in, protocol text out, always exit 0.

use std::io::Write;

use super::candidates::answer;
use super::lookups::ClusterLookup;
use super::plugins::Plugin;

/// `args` are the words after the plugin name; kubectl always passes the word under the cursor last
/// (`""` after a space). Called with nothing at all, complete an empty word.
pub fn run(plugin: &Plugin, args: Vec<String>) -> i32 {
    let words = if args.is_empty() {
        vec![String::new()]
    } else {
        args
    };
    let reply = answer(plugin, &words, &ClusterLookup::new(plugin.tool));
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (the shell gave up) is not worth an error message in the middle of a prompt.
    let _ = stdout.write_all(reply.render().as_bytes());
    let _ = stdout.flush();
    0
}
