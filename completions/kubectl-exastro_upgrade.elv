
use builtin;
use str;

set edit:completion:arg-completer[kubectl-exastro_upgrade] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'kubectl-exastro_upgrade'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'kubectl-exastro_upgrade'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand run 'Run the whole upgrade runbook (asks before changing anything)'
            cand plan 'Show every step and the exact commands, changing nothing'
            cand values-diff 'Show how the values file drifts from the target chart''s defaults'
            cand status 'Show the release, versions, the objects a run would stop and any unfinished run'
            cand restore 'Put back the replica counts an unfinished run recorded (from the journal in the cluster)'
            cand backup 'Save both ENCRYPT_KEYs, the release''s values, manifest and history, and the replica counts (private files)'
            cand completion 'Print a completion script for the kubectl-exastro_upgrade executable (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-exastro_upgrade;run'= {
            cand -n 'Namespace of the release'
            cand --namespace 'Namespace of the release'
            cand --release 'Helm release name'
            cand --context 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)'
            cand --kubeconfig 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --chart 'Chart to upgrade to, as REPO/CHART'
            cand -f 'Values file the release was installed with'
            cand --values 'Values file the release was installed with'
            cand --version 'Chart version constraint (e.g. 1.0.1, "~1.0"); default: the newest'
            cand --stop 'What to stop during the upgrade (default: what the vendor''s procedure for the target stops)'
            cand --maintenance-mode 'Maintenance mode around the stop (auto: when the vendor''s procedure for the target has it, 2.6+)'
            cand --drain-timeout 'Bound for running jobs to finish once backyard execution is stopped (maintenance mode)'
            cand --admin-url 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001'
            cand --admin-ca 'CA certificate (PEM) of an https administrator site with a private CA'
            cand --backup-dir 'Where `run` saves its backup first (default: under ~/.local/state/upgrade-plugins/backups)'
            cand --keep-backups 'Backups of this namespace and release kept in the state directory (the oldest are removed)'
            cand --timeout 'Bound for every wait and for helm upgrade (e.g. 10m, 90s)'
            cand -v 'Print every command, shell-quoted, before it runs'
            cand --verbose 'Print every command, shell-quoted, before it runs'
            cand --no-drain 'At the drain''s bound, go on although jobs still run (the stop kills them)'
            cand --accept-dropped-values 'Upgrade although the values file drops settings the release has now (helm -f replaces them all)'
            cand --restore-helm-resets 'Also put back objects outside the stop set that helm resets to the chart''s count (e.g. scaled by hand)'
            cand --force-conflicts 'helm 4, server-side release: let helm take over fields other managers own (replica counts are taken over without it)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --dry-run 'Run only the read-only steps and print the commands the others would run'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubectl-exastro_upgrade;plan'= {
            cand -n 'Namespace of the release'
            cand --namespace 'Namespace of the release'
            cand --release 'Helm release name'
            cand --context 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)'
            cand --kubeconfig 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --chart 'Chart to upgrade to, as REPO/CHART'
            cand -f 'Values file the release was installed with'
            cand --values 'Values file the release was installed with'
            cand --version 'Chart version constraint (e.g. 1.0.1, "~1.0"); default: the newest'
            cand --stop 'What to stop during the upgrade (default: what the vendor''s procedure for the target stops)'
            cand --maintenance-mode 'Maintenance mode around the stop (auto: when the vendor''s procedure for the target has it, 2.6+)'
            cand --drain-timeout 'Bound for running jobs to finish once backyard execution is stopped (maintenance mode)'
            cand --admin-url 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001'
            cand --admin-ca 'CA certificate (PEM) of an https administrator site with a private CA'
            cand --backup-dir 'Where `run` saves its backup first (default: under ~/.local/state/upgrade-plugins/backups)'
            cand --keep-backups 'Backups of this namespace and release kept in the state directory (the oldest are removed)'
            cand --timeout 'Bound for every wait and for helm upgrade (e.g. 10m, 90s)'
            cand -v 'Print every command, shell-quoted, before it runs'
            cand --verbose 'Print every command, shell-quoted, before it runs'
            cand --no-drain 'At the drain''s bound, go on although jobs still run (the stop kills them)'
            cand --accept-dropped-values 'Upgrade although the values file drops settings the release has now (helm -f replaces them all)'
            cand --restore-helm-resets 'Also put back objects outside the stop set that helm resets to the chart''s count (e.g. scaled by hand)'
            cand --force-conflicts 'helm 4, server-side release: let helm take over fields other managers own (replica counts are taken over without it)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubectl-exastro_upgrade;values-diff'= {
            cand -n 'Namespace of the release'
            cand --namespace 'Namespace of the release'
            cand --release 'Helm release name'
            cand --context 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)'
            cand --kubeconfig 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --chart 'Chart to upgrade to, as REPO/CHART'
            cand -f 'Values file the release was installed with'
            cand --values 'Values file the release was installed with'
            cand --version 'Chart version constraint (e.g. 1.0.1, "~1.0"); default: the newest'
            cand -v 'Print every command, shell-quoted, before it runs'
            cand --verbose 'Print every command, shell-quoted, before it runs'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubectl-exastro_upgrade;status'= {
            cand -n 'Namespace of the release'
            cand --namespace 'Namespace of the release'
            cand --release 'Helm release name'
            cand --context 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)'
            cand --kubeconfig 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --chart 'Chart, as REPO/CHART (for the available version)'
            cand --stop 'What a run would stop'
            cand --admin-url 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001'
            cand --admin-ca 'CA certificate (PEM) of an https administrator site with a private CA'
            cand -v 'Print every command, shell-quoted, before it runs'
            cand --verbose 'Print every command, shell-quoted, before it runs'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubectl-exastro_upgrade;restore'= {
            cand -n 'Namespace of the release'
            cand --namespace 'Namespace of the release'
            cand --release 'Helm release name'
            cand --context 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)'
            cand --kubeconfig 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --timeout 'Bound for the rollout wait'
            cand --admin-url 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001'
            cand --admin-ca 'CA certificate (PEM) of an https administrator site with a private CA'
            cand -v 'Print every command, shell-quoted, before it runs'
            cand --verbose 'Print every command, shell-quoted, before it runs'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --force 'Also put back objects whose replicas were changed by hand since the run stopped them'
            cand --dry-run 'Print what would be put back, changing nothing'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubectl-exastro_upgrade;backup'= {
            cand -n 'Namespace of the release'
            cand --namespace 'Namespace of the release'
            cand --release 'Helm release name'
            cand --context 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)'
            cand --kubeconfig 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --dir 'Directory to write (created with mode 0700; files 0600); default: under the state directory'
            cand --keep-backups 'Backups of this namespace and release kept in the state directory (the oldest are removed)'
            cand -v 'Print every command, shell-quoted, before it runs'
            cand --verbose 'Print every command, shell-quoted, before it runs'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubectl-exastro_upgrade;completion'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubectl-exastro_upgrade;help'= {
            cand run 'Run the whole upgrade runbook (asks before changing anything)'
            cand plan 'Show every step and the exact commands, changing nothing'
            cand values-diff 'Show how the values file drifts from the target chart''s defaults'
            cand status 'Show the release, versions, the objects a run would stop and any unfinished run'
            cand restore 'Put back the replica counts an unfinished run recorded (from the journal in the cluster)'
            cand backup 'Save both ENCRYPT_KEYs, the release''s values, manifest and history, and the replica counts (private files)'
            cand completion 'Print a completion script for the kubectl-exastro_upgrade executable (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-exastro_upgrade;help;run'= {
        }
        &'kubectl-exastro_upgrade;help;plan'= {
        }
        &'kubectl-exastro_upgrade;help;values-diff'= {
        }
        &'kubectl-exastro_upgrade;help;status'= {
        }
        &'kubectl-exastro_upgrade;help;restore'= {
        }
        &'kubectl-exastro_upgrade;help;backup'= {
        }
        &'kubectl-exastro_upgrade;help;completion'= {
        }
        &'kubectl-exastro_upgrade;help;help'= {
        }
    ]
    $completions[$command]
}
