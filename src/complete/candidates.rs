//! Decides the candidates for the word under the cursor from the clap definition (subcommands, options,
//! help texts, possible values, value hints) plus the plugin's value sources.

use clap::{Arg, ArgAction, Command, ValueHint};

use super::line::{self, Cursor, Line};
use super::plugins::Plugin;
use super::protocol::{Candidate, Directive, Reply};
use super::sources::{Dynamic, Lookup, Query, Source};

/// The whole answer for `words` (the words after the plugin name, the last one under the cursor).
pub(crate) fn answer(plugin: &Plugin, words: &[String], lookup: &dyn Lookup) -> Reply {
    let mut command = (plugin.command)();
    command.build();
    let line = line::read(&command, words);
    if line.lost {
        return Reply::nothing();
    }
    match &line.cursor {
        Cursor::Flag { typed } => options(&line, typed),
        Cursor::Value { arg, typed, prefix } => values(plugin, &line, arg, typed, prefix, lookup),
        Cursor::Word { typed, positional } => {
            let mut reply = subcommands(line.command, typed);
            if let Some(arg) = positional {
                let more = values(plugin, &line, arg, typed, "", lookup);
                reply.candidates.extend(more.candidates);
                if reply.candidates.is_empty() {
                    reply.directive = more.directive;
                }
            }
            reply
        }
    }
}

fn first_line(text: Option<String>) -> Option<String> {
    text.and_then(|t| t.lines().next().map(str::to_string))
}

fn subcommands(command: &Command, typed: &str) -> Reply {
    let candidates = command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .flat_map(|sub| {
            let about = first_line(sub.get_about().map(ToString::to_string));
            sub.get_name_and_visible_aliases()
                .into_iter()
                .map(move |name| Candidate::described(name, about.clone()))
        })
        .filter(|c| c.value.starts_with(typed))
        .collect();
    Reply::new(candidates, Directive::NO_FILE)
}

fn repeatable(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::Append | ArgAction::Count)
}

/// Option names starting with `typed`: long forms (and visible aliases) always, short forms unless the
/// word already starts with `--`. Options already on the line are left out unless they repeat.
fn options(line: &Line<'_>, typed: &str) -> Reply {
    let mut candidates = Vec::new();
    for arg in line.command.get_arguments() {
        if arg.is_positional() || arg.is_hide_set() {
            continue;
        }
        if line.was_given(arg.get_id().as_str()) && !repeatable(arg) {
            continue;
        }
        let help = first_line(arg.get_help().map(ToString::to_string));
        let longs = arg.get_long_and_visible_aliases().unwrap_or_default();
        let shorts = arg.get_short_and_visible_aliases().unwrap_or_default();
        let names = longs
            .into_iter()
            .map(|l| format!("--{l}"))
            .chain(shorts.into_iter().map(|s| format!("-{s}")));
        for name in names {
            if name.starts_with(typed) {
                candidates.push(Candidate::described(name, help.clone()));
            }
        }
    }
    Reply::new(candidates, Directive::NO_FILE)
}

/// The look-up target: each option the plugin maps to a namespace/context/kubeconfig/chart source gives
/// its typed value, else its default.
fn query(plugin: &Plugin, line: &Line<'_>) -> Query {
    let mut query = Query::default();
    for arg in line.command.get_arguments() {
        let id = arg.get_id().as_str();
        let Some(source) = plugin.source(id) else {
            continue;
        };
        let value = line.value(id).map(str::to_string).or_else(|| {
            arg.get_default_values()
                .first()
                .map(|v| v.to_string_lossy().into_owned())
        });
        let slot = match source {
            Source::Dynamic(Dynamic::Namespaces) => &mut query.namespace,
            Source::Dynamic(Dynamic::Contexts) => &mut query.context,
            Source::Dynamic(Dynamic::Charts) => &mut query.chart,
            Source::Kubeconfig => &mut query.kubeconfig,
            _ => continue,
        };
        *slot = value.filter(|v| !v.is_empty());
    }
    query
}

fn matching(found: Vec<Candidate>, typed: &str, prefix: &str) -> Vec<Candidate> {
    found
        .into_iter()
        .filter(|c| c.value.starts_with(typed))
        .map(|c| Candidate {
            value: format!("{prefix}{}", c.value),
            description: c.description,
        })
        .collect()
}

fn values(
    plugin: &Plugin,
    line: &Line<'_>,
    arg: &Arg,
    typed: &str,
    prefix: &str,
    lookup: &dyn Lookup,
) -> Reply {
    // `--component a,b,c<TAB>`: complete the last item, keep the ones before, do not offer them again.
    let mut prefix = prefix.to_string();
    let mut typed = typed;
    let mut listed: Vec<&str> = Vec::new();
    if let Some(delimiter) = arg.get_value_delimiter() {
        if let Some((done, last)) = typed.rsplit_once(delimiter) {
            prefix = format!("{prefix}{done}{delimiter}");
            listed = done.split(delimiter).collect();
            typed = last;
        }
    }
    let offer = |found: Vec<Candidate>| {
        let fresh = found
            .into_iter()
            .filter(|c| !listed.contains(&c.value.as_str()))
            .collect();
        matching(fresh, typed, &prefix)
    };
    if let Some(source) = plugin.source(arg.get_id().as_str()) {
        return match source {
            Source::Dynamic(what) => {
                let found = offer(lookup.fetch(what, &query(plugin, line)));
                let mut directive = Directive::NO_FILE;
                if what == Dynamic::ChartVersions && !found.is_empty() {
                    // Newest first, as helm lists them.
                    directive = directive.with(Directive::KEEP_ORDER);
                }
                Reply::new(found, directive)
            }
            Source::Fixed(list) => Reply::new(offer(list()), Directive::NO_FILE),
            Source::Files { extensions } if !extensions.is_empty() => Reply::new(
                extensions.iter().map(|e| Candidate::new(*e)).collect(),
                Directive::FILTER_FILE_EXT,
            ),
            Source::Files { .. } | Source::Kubeconfig => Reply::new(Vec::new(), Directive::DEFAULT),
        };
    }
    let possible: Vec<Candidate> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| {
            Candidate::described(
                v.get_name(),
                first_line(v.get_help().map(ToString::to_string)),
            )
        })
        .collect();
    if !possible.is_empty() {
        return Reply::new(offer(possible), Directive::NO_FILE);
    }
    match arg.get_value_hint() {
        ValueHint::AnyPath | ValueHint::FilePath | ValueHint::ExecutablePath => {
            Reply::new(Vec::new(), Directive::DEFAULT)
        }
        ValueHint::DirPath => Reply::new(Vec::new(), Directive::FILTER_DIRS),
        _ => Reply::nothing(),
    }
}
