//! Where the tools point: namespace, kube context and kubeconfig, rendered as each tool spells them.

#[derive(Debug, Clone, Default, serde::Serialize)]
pub(crate) struct KubeTarget {
    pub(crate) namespace: String,
    pub(crate) context: Option<String>,
    pub(crate) kubeconfig: Option<String>,
}

impl KubeTarget {
    /// `--context`/`--kubeconfig` for kubectl and oc.
    pub(crate) fn kubectl_flags(&self) -> Vec<String> {
        let mut flags = Vec::new();
        if let Some(ctx) = &self.context {
            flags.push(format!("--context={ctx}"));
        }
        if let Some(path) = &self.kubeconfig {
            flags.push(format!("--kubeconfig={path}"));
        }
        flags
    }

    /// `--kube-context`/`--kubeconfig` for helm.
    pub(crate) fn helm_flags(&self) -> Vec<String> {
        let mut flags = Vec::new();
        if let Some(ctx) = &self.context {
            flags.push(format!("--kube-context={ctx}"));
        }
        if let Some(path) = &self.kubeconfig {
            flags.push(format!("--kubeconfig={path}"));
        }
        flags
    }
}
