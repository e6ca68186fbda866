
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubectl-exastro_upgrade' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubectl-exastro_upgrade'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubectl-exastro_upgrade' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run the whole upgrade runbook (asks before changing anything)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show every step and the exact commands, changing nothing')
            [CompletionResult]::new('values-diff', 'values-diff', [CompletionResultType]::ParameterValue, 'Show how the values file drifts from the target chart''s defaults')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the release, versions, the objects a run would stop and any unfinished run')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Put back the replica counts an unfinished run recorded (from the journal in the cluster)')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Save both ENCRYPT_KEYs, the release''s values, manifest and history, and the replica counts (private files)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a completion script for the kubectl-exastro_upgrade executable (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-exastro_upgrade;run' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Helm release name')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--chart', '--chart', [CompletionResultType]::ParameterName, 'Chart to upgrade to, as REPO/CHART')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Values file the release was installed with')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Values file the release was installed with')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Chart version constraint (e.g. 1.0.1, "~1.0"); default: the newest')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'What to stop during the upgrade (default: what the vendor''s procedure for the target stops)')
            [CompletionResult]::new('--maintenance-mode', '--maintenance-mode', [CompletionResultType]::ParameterName, 'Maintenance mode around the stop (auto: when the vendor''s procedure for the target has it, 2.6+)')
            [CompletionResult]::new('--drain-timeout', '--drain-timeout', [CompletionResultType]::ParameterName, 'Bound for running jobs to finish once backyard execution is stopped (maintenance mode)')
            [CompletionResult]::new('--admin-url', '--admin-url', [CompletionResultType]::ParameterName, 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001')
            [CompletionResult]::new('--admin-ca', '--admin-ca', [CompletionResultType]::ParameterName, 'CA certificate (PEM) of an https administrator site with a private CA')
            [CompletionResult]::new('--backup-dir', '--backup-dir', [CompletionResultType]::ParameterName, 'Where `run` saves its backup first (default: under ~/.local/state/upgrade-plugins/backups)')
            [CompletionResult]::new('--keep-backups', '--keep-backups', [CompletionResultType]::ParameterName, 'Backups of this namespace and release kept in the state directory (the oldest are removed)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound for every wait and for helm upgrade (e.g. 10m, 90s)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--no-drain', '--no-drain', [CompletionResultType]::ParameterName, 'At the drain''s bound, go on although jobs still run (the stop kills them)')
            [CompletionResult]::new('--accept-dropped-values', '--accept-dropped-values', [CompletionResultType]::ParameterName, 'Upgrade although the values file drops settings the release has now (helm -f replaces them all)')
            [CompletionResult]::new('--restore-helm-resets', '--restore-helm-resets', [CompletionResultType]::ParameterName, 'Also put back objects outside the stop set that helm resets to the chart''s count (e.g. scaled by hand)')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'helm 4, server-side release: let helm take over fields other managers own (replica counts are taken over without it)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run only the read-only steps and print the commands the others would run')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-exastro_upgrade;plan' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Helm release name')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--chart', '--chart', [CompletionResultType]::ParameterName, 'Chart to upgrade to, as REPO/CHART')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Values file the release was installed with')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Values file the release was installed with')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Chart version constraint (e.g. 1.0.1, "~1.0"); default: the newest')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'What to stop during the upgrade (default: what the vendor''s procedure for the target stops)')
            [CompletionResult]::new('--maintenance-mode', '--maintenance-mode', [CompletionResultType]::ParameterName, 'Maintenance mode around the stop (auto: when the vendor''s procedure for the target has it, 2.6+)')
            [CompletionResult]::new('--drain-timeout', '--drain-timeout', [CompletionResultType]::ParameterName, 'Bound for running jobs to finish once backyard execution is stopped (maintenance mode)')
            [CompletionResult]::new('--admin-url', '--admin-url', [CompletionResultType]::ParameterName, 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001')
            [CompletionResult]::new('--admin-ca', '--admin-ca', [CompletionResultType]::ParameterName, 'CA certificate (PEM) of an https administrator site with a private CA')
            [CompletionResult]::new('--backup-dir', '--backup-dir', [CompletionResultType]::ParameterName, 'Where `run` saves its backup first (default: under ~/.local/state/upgrade-plugins/backups)')
            [CompletionResult]::new('--keep-backups', '--keep-backups', [CompletionResultType]::ParameterName, 'Backups of this namespace and release kept in the state directory (the oldest are removed)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound for every wait and for helm upgrade (e.g. 10m, 90s)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--no-drain', '--no-drain', [CompletionResultType]::ParameterName, 'At the drain''s bound, go on although jobs still run (the stop kills them)')
            [CompletionResult]::new('--accept-dropped-values', '--accept-dropped-values', [CompletionResultType]::ParameterName, 'Upgrade although the values file drops settings the release has now (helm -f replaces them all)')
            [CompletionResult]::new('--restore-helm-resets', '--restore-helm-resets', [CompletionResultType]::ParameterName, 'Also put back objects outside the stop set that helm resets to the chart''s count (e.g. scaled by hand)')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'helm 4, server-side release: let helm take over fields other managers own (replica counts are taken over without it)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-exastro_upgrade;values-diff' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Helm release name')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--chart', '--chart', [CompletionResultType]::ParameterName, 'Chart to upgrade to, as REPO/CHART')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Values file the release was installed with')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Values file the release was installed with')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Chart version constraint (e.g. 1.0.1, "~1.0"); default: the newest')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-exastro_upgrade;status' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Helm release name')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--chart', '--chart', [CompletionResultType]::ParameterName, 'Chart, as REPO/CHART (for the available version)')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'What a run would stop')
            [CompletionResult]::new('--admin-url', '--admin-url', [CompletionResultType]::ParameterName, 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001')
            [CompletionResult]::new('--admin-ca', '--admin-ca', [CompletionResultType]::ParameterName, 'CA certificate (PEM) of an https administrator site with a private CA')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-exastro_upgrade;restore' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Helm release name')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound for the rollout wait')
            [CompletionResult]::new('--admin-url', '--admin-url', [CompletionResultType]::ParameterName, 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001')
            [CompletionResult]::new('--admin-ca', '--admin-ca', [CompletionResultType]::ParameterName, 'CA certificate (PEM) of an https administrator site with a private CA')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Also put back objects whose replicas were changed by hand since the run stopped them')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be put back, changing nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-exastro_upgrade;backup' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the release')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Helm release name')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory to write (created with mode 0700; files 0600); default: under the state directory')
            [CompletionResult]::new('--keep-backups', '--keep-backups', [CompletionResultType]::ParameterName, 'Backups of this namespace and release kept in the state directory (the oldest are removed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-exastro_upgrade;completion' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-exastro_upgrade;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run the whole upgrade runbook (asks before changing anything)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show every step and the exact commands, changing nothing')
            [CompletionResult]::new('values-diff', 'values-diff', [CompletionResultType]::ParameterValue, 'Show how the values file drifts from the target chart''s defaults')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the release, versions, the objects a run would stop and any unfinished run')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Put back the replica counts an unfinished run recorded (from the journal in the cluster)')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Save both ENCRYPT_KEYs, the release''s values, manifest and history, and the replica counts (private files)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a completion script for the kubectl-exastro_upgrade executable (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-exastro_upgrade;help;run' {
            break
        }
        'kubectl-exastro_upgrade;help;plan' {
            break
        }
        'kubectl-exastro_upgrade;help;values-diff' {
            break
        }
        'kubectl-exastro_upgrade;help;status' {
            break
        }
        'kubectl-exastro_upgrade;help;restore' {
            break
        }
        'kubectl-exastro_upgrade;help;backup' {
            break
        }
        'kubectl-exastro_upgrade;help;completion' {
            break
        }
        'kubectl-exastro_upgrade;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
