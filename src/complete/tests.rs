//! The completion engine against a small clap definition and a stub look-up (no processes).

use std::cell::RefCell;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use super::candidates::answer;
use super::lookups::KubeTool;
use super::plugins::Plugin;
use super::protocol::{Candidate, Directive, Reply};
use super::sources::{Dynamic, Lookup, Query, Source};

#[derive(Parser)]
#[command(name = "demo", version)]
struct Demo {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Do it
    Run(RunArgs),
    /// Show it
    #[command(alias = "st")]
    Status(Common),
    /// Print a script
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Args)]
struct Common {
    /// Namespace of the release
    #[arg(short = 'n', long, default_value = "exastro", global = true)]
    namespace: String,
    /// Helm release name
    #[arg(long, default_value = "exastro")]
    release: String,
    /// Kube context
    #[arg(long, global = true)]
    context: Option<String>,
    /// Kubeconfig file
    #[arg(long, global = true)]
    kubeconfig: Option<String>,
    /// Be loud
    #[arg(short = 'v', long)]
    verbose: bool,
}

#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    common: Common,
    /// Chart, as REPO/CHART
    #[arg(long, default_value = "exastro/exastro")]
    chart: String,
    /// Chart version
    #[arg(long = "chart-version")]
    chart_version: Option<String>,
    /// Values file
    #[arg(short = 'f', long = "values")]
    values: PathBuf,
    /// What to stop
    #[arg(long, value_enum, default_value_t = Stop::Backyard)]
    stop: Stop,
    /// Where to write
    #[arg(long, value_hint = clap::ValueHint::DirPath)]
    out: Option<PathBuf>,
    /// Free text
    #[arg(long)]
    note: Option<String>,
    /// Label to add (repeatable)
    #[arg(long)]
    label: Vec<String>,
    /// Components
    #[arg(long, value_delimiter = ',')]
    component: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Stop {
    /// only the backyards
    Backyard,
    /// everything
    All,
}

fn components() -> Vec<Candidate> {
    vec![
        Candidate::described("system", Some("amp-system".into())),
        Candidate::new("zync"),
    ]
}

const SOURCES: &[(&str, Source)] = &[
    ("namespace", Source::Dynamic(Dynamic::Namespaces)),
    ("context", Source::Dynamic(Dynamic::Contexts)),
    ("kubeconfig", Source::Kubeconfig),
    ("release", Source::Dynamic(Dynamic::Releases)),
    ("chart", Source::Dynamic(Dynamic::Charts)),
    ("chart_version", Source::Dynamic(Dynamic::ChartVersions)),
    (
        "values",
        Source::Files {
            extensions: &["yaml", "yml"],
        },
    ),
    ("component", Source::Fixed(components)),
];

fn plugin() -> Plugin {
    Plugin {
        name: "demo",
        command: Demo::command,
        tool: KubeTool::Kubectl,
        sources: SOURCES,
        manual: &MANUAL,
    }
}

const MANUAL: crate::manual::Manual = crate::manual::Manual {
    pages: &[],
    files: &[],
    environment: &[],
    see_also: &[],
};

#[derive(Default)]
struct Stub {
    asked: RefCell<Vec<(Dynamic, Query)>>,
}

impl Lookup for Stub {
    fn fetch(&self, what: Dynamic, query: &Query) -> Vec<Candidate> {
        self.asked.borrow_mut().push((what, query.clone()));
        let names: &[&str] = match what {
            Dynamic::Namespaces => &["default", "exastro", "kube-system"],
            Dynamic::Releases => &["exastro", "exastro-agent"],
            Dynamic::ChartVersions => &["1.2.0", "1.10.0", "1.1.0"],
            Dynamic::Charts => &["exastro/exastro"],
            Dynamic::Contexts => &["kind-a", "prod"],
        };
        names.iter().map(|n| Candidate::new(*n)).collect()
    }
}

fn complete(line: &str) -> (Reply, Stub) {
    let mut words: Vec<String> = line.split(' ').map(str::to_string).collect();
    if line.is_empty() {
        words = vec![String::new()];
    }
    let stub = Stub::default();
    let reply = answer(&plugin(), &words, &stub);
    (reply, stub)
}

fn values(reply: &Reply) -> Vec<&str> {
    reply.candidates.iter().map(|c| c.value.as_str()).collect()
}

#[test]
fn subcommands_with_their_about_and_aliases() {
    let (reply, stub) = complete("");
    assert_eq!(values(&reply), ["run", "status", "completion", "help"]);
    assert_eq!(reply.candidates[0].description.as_deref(), Some("Do it"));
    assert_eq!(reply.directive, Directive::NO_FILE);
    assert!(stub.asked.borrow().is_empty());
    assert_eq!(values(&complete("s").0), ["status"]);
    assert_eq!(values(&complete("help r").0), ["run"]);
}

#[test]
fn long_and_short_options_with_help() {
    let (reply, _) = complete("run --na");
    assert_eq!(values(&reply), ["--namespace"]);
    assert_eq!(
        reply.candidates[0].description.as_deref(),
        Some("Namespace of the release")
    );
    let all = complete("run -").0;
    let all = values(&all);
    for expected in [
        "--namespace",
        "-n",
        "--values",
        "-f",
        "--stop",
        "--help",
        "-h",
    ] {
        assert!(all.contains(&expected), "{expected} missing from {all:?}");
    }
    let long_only = complete("run --").0;
    assert!(values(&long_only).iter().all(|v| v.starts_with("--")));
}

#[test]
fn options_already_given_are_not_offered_again_unless_they_repeat() {
    let reply = complete("run -n x --label a --st").0;
    assert_eq!(values(&reply), ["--stop"]);
    let reply = complete("run -n x --label a -").0;
    let offered = values(&reply);
    assert!(!offered.contains(&"--namespace") && !offered.contains(&"-n"));
    assert!(offered.contains(&"--label"));
}

#[test]
fn possible_values_in_all_forms() {
    let (reply, _) = complete("run --stop ");
    assert_eq!(values(&reply), ["backyard", "all"]);
    assert_eq!(
        reply.candidates[0].description.as_deref(),
        Some("only the backyards")
    );
    assert_eq!(values(&complete("run --stop b").0), ["backyard"]);
    assert_eq!(values(&complete("run --stop=a").0), ["--stop=all"]);
    assert_eq!(
        values(&complete("completion ").0),
        ["bash", "elvish", "fish", "powershell", "zsh"]
    );
}

#[test]
fn files_only_where_a_file_is_wanted() {
    let (reply, _) = complete("run -f ");
    assert_eq!(values(&reply), ["yaml", "yml"]);
    assert_eq!(reply.directive, Directive::FILTER_FILE_EXT);
    assert_eq!(
        complete("run --values=ex").0.directive,
        Directive::FILTER_FILE_EXT
    );
    assert_eq!(
        complete("run --kubeconfig ").0,
        Reply::new(vec![], Directive::DEFAULT)
    );
    assert_eq!(
        complete("run --out ").0,
        Reply::new(vec![], Directive::FILTER_DIRS)
    );
    assert_eq!(complete("run --note ").0, Reply::nothing());
    assert_eq!(complete("run ").0, Reply::nothing());
}

#[test]
fn dynamic_values_use_the_namespace_context_and_kubeconfig_on_the_line() {
    let (reply, stub) = complete("run --context prod --kubeconfig=/k -n other --release ex");
    assert_eq!(values(&reply), ["exastro", "exastro-agent"]);
    let asked = stub.asked.borrow();
    assert_eq!(asked[0].0, Dynamic::Releases);
    assert_eq!(
        asked[0].1,
        Query {
            namespace: Some("other".into()),
            context: Some("prod".into()),
            kubeconfig: Some("/k".into()),
            chart: Some("exastro/exastro".into()),
        }
    );
}

#[test]
fn defaults_stand_in_for_options_not_typed() {
    let (_, stub) = complete("run --release ");
    assert_eq!(
        stub.asked.borrow()[0].1.namespace.as_deref(),
        Some("exastro")
    );
    let (reply, stub) = complete("run --chart repo/other --chart-version ");
    assert_eq!(
        stub.asked.borrow()[0].1.chart.as_deref(),
        Some("repo/other")
    );
    // helm's order (newest first) is kept.
    assert_eq!(values(&reply), ["1.2.0", "1.10.0", "1.1.0"]);
    assert_ne!(reply.directive.0 & Directive::KEEP_ORDER.0, 0);
}

#[test]
fn short_option_values_attached_or_separate() {
    assert_eq!(values(&complete("run -n kube").0), ["kube-system"]);
    assert_eq!(
        values(&complete("run -n ").0),
        ["default", "exastro", "kube-system"]
    );
    assert_eq!(values(&complete("run -nkube").0), ["-nkube-system"]);
    assert_eq!(values(&complete("run -vn ex").0), ["exastro"]);
}

#[test]
fn fixed_lists_and_namespaces_from_flags_with_equals() {
    let (reply, _) = complete("run --component=s");
    assert_eq!(values(&reply), ["--component=system"]);
    assert_eq!(
        reply.candidates[0].description.as_deref(),
        Some("amp-system")
    );
    assert_eq!(
        values(&complete("status --namespace=k").0),
        ["--namespace=kube-system"]
    );
    assert_eq!(
        values(&complete("run --component system,").0),
        ["system,zync"]
    );
    assert_eq!(
        values(&complete("run --component=zync,s").0),
        ["--component=zync,system"]
    );
    assert_eq!(values(&complete("st --context ").0), ["kind-a", "prod"]);
}

#[test]
fn nothing_after_double_dash_or_unknown_words() {
    assert_eq!(complete("run -- --na").0, Reply::nothing());
    assert_eq!(complete("nosuch ").0, Reply::nothing());
    assert_eq!(complete("completion bash ").0, Reply::nothing());
}
