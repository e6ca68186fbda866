//! Reads the words already typed against the clap definition: which subcommand we are in, which options
//! were given (with their values), and what kind of word is under the cursor.

use std::collections::HashMap;

use clap::{Arg, Command};

/// What the word under the cursor is.
#[derive(Debug)]
pub(crate) enum Cursor<'c> {
    /// A value for `arg`. `prefix` must be put before each candidate (`--values=`, or `-n` in `-nfoo`);
    /// `typed` is the part of the value typed so far.
    Value {
        arg: &'c Arg,
        typed: String,
        prefix: String,
    },
    /// An option name (the word starts with `-`).
    Flag { typed: String },
    /// A subcommand name or a positional value (`positional` is the positional argument it would fill).
    Word {
        typed: String,
        positional: Option<&'c Arg>,
    },
}

/// The typed line, read against the command tree.
#[derive(Debug)]
pub(crate) struct Line<'c> {
    /// The deepest subcommand reached.
    pub(crate) command: &'c Command,
    /// Values typed for options, by clap argument id (an option given without a value maps to []).
    pub(crate) values: HashMap<String, Vec<String>>,
    pub(crate) cursor: Cursor<'c>,
    /// A word matched neither a subcommand nor a positional argument: the line is not one clap accepts,
    /// so nothing sensible can follow.
    pub(crate) lost: bool,
}

impl Line<'_> {
    /// The last value typed for an option, by clap id.
    pub(crate) fn value(&self, id: &str) -> Option<&str> {
        self.values
            .get(id)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    pub(crate) fn was_given(&self, id: &str) -> bool {
        self.values.contains_key(id)
    }
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values() && !arg.is_positional()
}

fn find_long<'c>(command: &'c Command, name: &str) -> Option<&'c Arg> {
    command.get_arguments().find(|arg| {
        !arg.is_positional()
            && (arg.get_long() == Some(name)
                || arg
                    .get_all_aliases()
                    .is_some_and(|aliases| aliases.contains(&name)))
    })
}

fn find_short(command: &Command, c: char) -> Option<&Arg> {
    command.get_arguments().find(|arg| {
        arg.get_short() == Some(c)
            || arg
                .get_all_short_aliases()
                .is_some_and(|aliases| aliases.contains(&c))
    })
}

fn positional_at(command: &Command, index: usize) -> Option<&Arg> {
    let positionals: Vec<&Arg> = command.get_positionals().collect();
    positionals.get(index).copied().or_else(|| {
        // A trailing multi-value positional takes every further word.
        positionals
            .last()
            .copied()
            .filter(|arg| arg.get_num_args().is_some_and(|n| n.max_values() > 1))
    })
}

/// `command` must be built (`Command::build`) so that global options and `help` are in place.
/// `words` are the words after the plugin name; the last one is the word under the cursor.
pub(crate) fn read<'c>(command: &'c Command, words: &[String]) -> Line<'c> {
    let (current, before) = match words.split_last() {
        Some((current, before)) => (current.clone(), before),
        None => (String::new(), &[][..]),
    };
    let mut scan = Scan {
        cmd: command,
        values: HashMap::new(),
        pending: None,
        positional: 0,
        only_positionals: false,
        lost: false,
    };
    for word in before {
        scan.word(word);
    }
    let cmd = scan.cmd;
    let cursor = if let Some(arg) = scan.pending {
        Cursor::Value {
            arg,
            typed: current,
            prefix: String::new(),
        }
    } else if scan.only_positionals || !current.starts_with('-') {
        Cursor::Word {
            positional: positional_at(cmd, scan.positional),
            typed: current,
        }
    } else {
        cursor_in_option(cmd, current)
    };
    Line {
        command: cmd,
        values: scan.values,
        cursor,
        lost: scan.lost,
    }
}

/// The words before the cursor, read one at a time the way clap would parse them.
struct Scan<'c> {
    cmd: &'c Command,
    values: HashMap<String, Vec<String>>,
    /// An option whose value is the next word.
    pending: Option<&'c Arg>,
    positional: usize,
    /// After `--`: every word is a positional.
    only_positionals: bool,
    /// A word clap would reject: completion falls back to files.
    lost: bool,
}

impl<'c> Scan<'c> {
    fn record(&mut self, arg: &Arg, value: Option<&str>) {
        let entry = self.values.entry(arg.get_id().to_string()).or_default();
        if let Some(v) = value {
            entry.push(v.to_string());
        }
    }

    fn word(&mut self, word: &str) {
        if let Some(arg) = self.pending.take() {
            self.record(arg, Some(word));
        } else if self.only_positionals || word == "-" || !word.starts_with('-') {
            self.positional_word(word);
        } else if word == "--" {
            self.only_positionals = true;
        } else if let Some(long) = word.strip_prefix("--") {
            self.long_option(long);
        } else {
            self.short_options(&word[1..]);
        }
    }

    /// A subcommand, or the next positional argument.
    fn positional_word(&mut self, word: &str) {
        if !self.only_positionals {
            if let Some(sub) = self.cmd.find_subcommand(word) {
                self.cmd = sub;
                self.positional = 0;
                return;
            }
        }
        if positional_at(self.cmd, self.positional).is_none() {
            self.lost = true;
        }
        self.positional += 1;
    }

    /// `--name` or `--name=value`.
    fn long_option(&mut self, long: &str) {
        let (name, value) = match long.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (long, None),
        };
        if let Some(arg) = find_long(self.cmd, name) {
            self.record(arg, value);
            if value.is_none() && takes_value(arg) {
                self.pending = Some(arg);
            }
        }
    }

    /// A cluster of short options; the first one taking a value eats the rest of the word.
    fn short_options(&mut self, shorts: &str) {
        for (at, c) in shorts.char_indices() {
            let Some(arg) = find_short(self.cmd, c) else {
                break;
            };
            if takes_value(arg) {
                let rest = &shorts[at + c.len_utf8()..];
                let rest = rest.strip_prefix('=').unwrap_or(rest);
                if rest.is_empty() {
                    self.record(arg, None);
                    self.pending = Some(arg);
                } else {
                    self.record(arg, Some(rest));
                }
                break;
            }
            self.record(arg, None);
        }
    }
}

/// The cursor word starts with `-`: an option name, or `--opt=value` / `-oVALUE` with the value being typed.
fn cursor_in_option(cmd: &Command, current: String) -> Cursor<'_> {
    if let Some(long) = current.strip_prefix("--") {
        if let Some((name, typed)) = long.split_once('=') {
            if let Some(arg) = find_long(cmd, name).filter(|a| takes_value(a)) {
                return Cursor::Value {
                    arg,
                    typed: typed.to_string(),
                    prefix: format!("--{name}="),
                };
            }
        }
        return Cursor::Flag { typed: current };
    }
    let mut chars = current[1..].char_indices();
    if let Some((_, first)) = chars.next() {
        if let Some(arg) = find_short(cmd, first).filter(|a| takes_value(a)) {
            let rest = &current[1 + first.len_utf8()..];
            if !rest.is_empty() {
                let (prefix_len, typed) = match rest.strip_prefix('=') {
                    Some(typed) => (2 + first.len_utf8(), typed),
                    None => (1 + first.len_utf8(), rest),
                };
                return Cursor::Value {
                    arg,
                    typed: typed.to_string(),
                    prefix: current[..prefix_len].to_string(),
                };
            }
        }
    }
    Cursor::Flag { typed: current }
}
