
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'oc-3scale_upgrade' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'oc-3scale_upgrade'
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
        'oc-3scale_upgrade' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('patch-images', 'patch-images', [CompletionResultType]::ParameterValue, 'Add the new image stream tags and move every DeploymentConfig to them, one rollout at a time (asks first)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show every step and the exact oc commands, changing nothing')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the image stream tags and imports, each DeploymentConfig''s trigger and rollout, and AMP_RELEASE')
            [CompletionResult]::new('build-oracle-image', 'build-oracle-image', [CompletionResultType]::ParameterValue, 'Oracle: build amp-system:<to>-oracle (the guide''s first step) from the templates'' amp/system-oracle directory')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a completion script for the oc-3scale_upgrade executable (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oc-3scale_upgrade;patch-images' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The system database; default: detected (-oracle trigger tags, or a system-mysql/system-postgresql DC)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The installed 3scale version')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The 3scale version to move to')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Only these components: the guide''s names (system, apicast, backend, zync, memcached, zync-database, redis, mysql, postgresql) or image streams (e.g. amp-system); repeatable or comma-separated; default: all')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Replace registry.redhat.io in the new tags'' sources (mirrored or disconnected clusters)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound for each wait: the image imports, and each DeploymentConfig''s rollout (e.g. 20m, 90s)')
            [CompletionResult]::new('--oracle-build-dir', '--oracle-build-dir', [CompletionResultType]::ParameterName, 'Oracle: build amp-system:<to>-oracle first from this directory (the templates'' amp/system-oracle with oracle-client-files/ filled), when it is not built yet')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run only the read-only steps and print the commands the others would run')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oc-3scale_upgrade;plan' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The system database; default: detected (-oracle trigger tags, or a system-mysql/system-postgresql DC)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The installed 3scale version')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The 3scale version to move to')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Only these components: the guide''s names (system, apicast, backend, zync, memcached, zync-database, redis, mysql, postgresql) or image streams (e.g. amp-system); repeatable or comma-separated; default: all')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Replace registry.redhat.io in the new tags'' sources (mirrored or disconnected clusters)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound for each wait: the image imports, and each DeploymentConfig''s rollout (e.g. 20m, 90s)')
            [CompletionResult]::new('--oracle-build-dir', '--oracle-build-dir', [CompletionResultType]::ParameterName, 'Oracle: build amp-system:<to>-oracle first from this directory (the templates'' amp/system-oracle with oracle-client-files/ filled), when it is not built yet')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oc-3scale_upgrade;status' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oc-3scale_upgrade;build-oracle-image' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result on stdout')
            [CompletionResult]::new('--from-dir', '--from-dir', [CompletionResultType]::ParameterName, 'The templates'' amp/system-oracle directory with oracle-client-files/ filled (the three Instant Client zips)')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Replace registry.redhat.io in the image the build starts from (mirrored or disconnected clusters)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound for the build (e.g. 30m)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every command, shell-quoted, before it runs')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run only the read-only steps and print the commands the others would run')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oc-3scale_upgrade;completion' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'oc-3scale_upgrade;help' {
            [CompletionResult]::new('patch-images', 'patch-images', [CompletionResultType]::ParameterValue, 'Add the new image stream tags and move every DeploymentConfig to them, one rollout at a time (asks first)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show every step and the exact oc commands, changing nothing')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the image stream tags and imports, each DeploymentConfig''s trigger and rollout, and AMP_RELEASE')
            [CompletionResult]::new('build-oracle-image', 'build-oracle-image', [CompletionResultType]::ParameterValue, 'Oracle: build amp-system:<to>-oracle (the guide''s first step) from the templates'' amp/system-oracle directory')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a completion script for the oc-3scale_upgrade executable (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oc-3scale_upgrade;help;patch-images' {
            break
        }
        'oc-3scale_upgrade;help;plan' {
            break
        }
        'oc-3scale_upgrade;help;status' {
            break
        }
        'oc-3scale_upgrade;help;build-oracle-image' {
            break
        }
        'oc-3scale_upgrade;help;completion' {
            break
        }
        'oc-3scale_upgrade;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
