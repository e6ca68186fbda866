//! Where the values of an option come from, when clap's definition alone cannot say (clap gives the
//! subcommands, option names, help texts and `ValueEnum` choices; these give namespaces, releases, ...).

use super::protocol::Candidate;

/// Values that only the cluster, helm or the kubeconfig know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dynamic {
    /// `kubectl get namespaces` (kubectl) or `oc get projects` (oc).
    Namespaces,
    /// `helm list` in the namespace on the line (or the option's default).
    Releases,
    /// Every version of the chart on the line (or the option's default) in the local repo index.
    ChartVersions,
    /// Chart names in the local repo index.
    Charts,
    /// `kubectl config get-contexts`.
    Contexts,
}

/// How to complete the value of one option.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source {
    Dynamic(Dynamic),
    /// A file name; non-empty `extensions` filters by them (Cobra directive 8).
    Files {
        extensions: &'static [&'static str],
    },
    /// A kubeconfig file: completes file names, and is passed to the look-ups.
    Kubeconfig,
    /// A list the plugin knows (3scale components, supported versions).
    Fixed(fn() -> Vec<Candidate>),
}

/// What the look-ups are pointed at, from the options on the line (or their defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pub(crate) namespace: Option<String>,
    pub(crate) context: Option<String>,
    pub(crate) kubeconfig: Option<String>,
    pub(crate) chart: Option<String>,
}

/// Answers dynamic look-ups. Failures (no cluster, no tool, timeout) are an empty list, never an error.
pub(crate) trait Lookup {
    fn fetch(&self, what: Dynamic, query: &Query) -> Vec<Candidate>;
}
