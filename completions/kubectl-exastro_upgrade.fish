# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_exastro_upgrade_global_optspecs
    string join \n h/help V/version
end

function __fish_kubectl_exastro_upgrade_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_exastro_upgrade_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_exastro_upgrade_using_subcommand
    set -l cmd (__fish_kubectl_exastro_upgrade_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_needs_command" -s h -l help -d 'Print help'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_needs_command" -f -a "run" -d 'Run the whole upgrade runbook (asks before changing anything)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_needs_command" -f -a "plan" -d 'Show every step and the exact commands, changing nothing'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_needs_command" -f -a "values-diff" -d 'Show how the values file drifts from the target chart\'s defaults'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_needs_command" -f -a "status" -d 'Show the release, versions, the objects a run would stop and any unfinished run'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_needs_command" -f -a "restore" -d 'Put back the replica counts an unfinished run recorded (from the journal in the cluster)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_needs_command" -f -a "backup" -d 'Save both ENCRYPT_KEYs, the release\'s values, manifest and history, and the replica counts (private files)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_needs_command" -f -a "completion" -d 'Print a completion script for the kubectl-exastro_upgrade executable (bash, zsh, fish, powershell, elvish)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -s n -l namespace -d 'Namespace of the release' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l release -d 'Helm release name' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l context -d 'Kube context to use, as kubectl\'s --context (every tool the plugin runs gets it)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l kubeconfig -d 'Path to the kubeconfig file, as kubectl\'s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t''
json\t''"
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l chart -d 'Chart to upgrade to, as REPO/CHART' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -s f -l values -d 'Values file the release was installed with' -r -F
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l version -d 'Chart version constraint (e.g. 1.0.1, "~1.0"); default: the newest' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l stop -d 'What to stop during the upgrade (default: what the vendor\'s procedure for the target stops)' -r -f -a "backyard\t'platform-auth and every ita-by-* Deployment of the release'
all\t'every Deployment and StatefulSet of the namespace'"
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l maintenance-mode -d 'Maintenance mode around the stop (auto: when the vendor\'s procedure for the target has it, 2.6+)' -r -f -a "auto\t'when the vendor\'s procedure for the target includes it (2.6 and later)'
on\t'on any upgrade from 2.4 (the first version that has it)'
off\t'never (running jobs are killed by the stop)'"
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l drain-timeout -d 'Bound for running jobs to finish once backyard execution is stopped (maintenance mode)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l admin-url -d 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l admin-ca -d 'CA certificate (PEM) of an https administrator site with a private CA' -r -F
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l backup-dir -d 'Where `run` saves its backup first (default: under ~/.local/state/upgrade-plugins/backups)' -r -F
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l keep-backups -d 'Backups of this namespace and release kept in the state directory (the oldest are removed)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l timeout -d 'Bound for every wait and for helm upgrade (e.g. 10m, 90s)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -s v -l verbose -d 'Print every command, shell-quoted, before it runs'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l no-drain -d 'At the drain\'s bound, go on although jobs still run (the stop kills them)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l accept-dropped-values -d 'Upgrade although the values file drops settings the release has now (helm -f replaces them all)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l restore-helm-resets -d 'Also put back objects outside the stop set that helm resets to the chart\'s count (e.g. scaled by hand)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l force-conflicts -d 'helm 4, server-side release: let helm take over fields other managers own (replica counts are taken over without it)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -s y -l yes -d 'Do not ask for confirmation'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -l dry-run -d 'Run only the read-only steps and print the commands the others would run'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -s n -l namespace -d 'Namespace of the release' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l release -d 'Helm release name' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l context -d 'Kube context to use, as kubectl\'s --context (every tool the plugin runs gets it)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l kubeconfig -d 'Path to the kubeconfig file, as kubectl\'s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t''
json\t''"
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l chart -d 'Chart to upgrade to, as REPO/CHART' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -s f -l values -d 'Values file the release was installed with' -r -F
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l version -d 'Chart version constraint (e.g. 1.0.1, "~1.0"); default: the newest' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l stop -d 'What to stop during the upgrade (default: what the vendor\'s procedure for the target stops)' -r -f -a "backyard\t'platform-auth and every ita-by-* Deployment of the release'
all\t'every Deployment and StatefulSet of the namespace'"
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l maintenance-mode -d 'Maintenance mode around the stop (auto: when the vendor\'s procedure for the target has it, 2.6+)' -r -f -a "auto\t'when the vendor\'s procedure for the target includes it (2.6 and later)'
on\t'on any upgrade from 2.4 (the first version that has it)'
off\t'never (running jobs are killed by the stop)'"
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l drain-timeout -d 'Bound for running jobs to finish once backyard execution is stopped (maintenance mode)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l admin-url -d 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l admin-ca -d 'CA certificate (PEM) of an https administrator site with a private CA' -r -F
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l backup-dir -d 'Where `run` saves its backup first (default: under ~/.local/state/upgrade-plugins/backups)' -r -F
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l keep-backups -d 'Backups of this namespace and release kept in the state directory (the oldest are removed)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l timeout -d 'Bound for every wait and for helm upgrade (e.g. 10m, 90s)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -s v -l verbose -d 'Print every command, shell-quoted, before it runs'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l no-drain -d 'At the drain\'s bound, go on although jobs still run (the stop kills them)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l accept-dropped-values -d 'Upgrade although the values file drops settings the release has now (helm -f replaces them all)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l restore-helm-resets -d 'Also put back objects outside the stop set that helm resets to the chart\'s count (e.g. scaled by hand)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -l force-conflicts -d 'helm 4, server-side release: let helm take over fields other managers own (replica counts are taken over without it)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand values-diff" -s n -l namespace -d 'Namespace of the release' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand values-diff" -l release -d 'Helm release name' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand values-diff" -l context -d 'Kube context to use, as kubectl\'s --context (every tool the plugin runs gets it)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand values-diff" -l kubeconfig -d 'Path to the kubeconfig file, as kubectl\'s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand values-diff" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t''
json\t''"
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand values-diff" -l chart -d 'Chart to upgrade to, as REPO/CHART' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand values-diff" -s f -l values -d 'Values file the release was installed with' -r -F
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand values-diff" -l version -d 'Chart version constraint (e.g. 1.0.1, "~1.0"); default: the newest' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand values-diff" -s v -l verbose -d 'Print every command, shell-quoted, before it runs'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand values-diff" -s h -l help -d 'Print help'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand status" -s n -l namespace -d 'Namespace of the release' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand status" -l release -d 'Helm release name' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand status" -l context -d 'Kube context to use, as kubectl\'s --context (every tool the plugin runs gets it)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand status" -l kubeconfig -d 'Path to the kubeconfig file, as kubectl\'s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand status" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t''
json\t''"
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand status" -l chart -d 'Chart, as REPO/CHART (for the available version)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand status" -l stop -d 'What a run would stop' -r -f -a "backyard\t'platform-auth and every ita-by-* Deployment of the release'
all\t'every Deployment and StatefulSet of the namespace'"
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand status" -l admin-url -d 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand status" -l admin-ca -d 'CA certificate (PEM) of an https administrator site with a private CA' -r -F
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand status" -s v -l verbose -d 'Print every command, shell-quoted, before it runs'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -s n -l namespace -d 'Namespace of the release' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -l release -d 'Helm release name' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -l context -d 'Kube context to use, as kubectl\'s --context (every tool the plugin runs gets it)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -l kubeconfig -d 'Path to the kubeconfig file, as kubectl\'s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t''
json\t''"
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -l timeout -d 'Bound for the rollout wait' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -l admin-url -d 'The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -l admin-ca -d 'CA certificate (PEM) of an https administrator site with a private CA' -r -F
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -s v -l verbose -d 'Print every command, shell-quoted, before it runs'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -s y -l yes -d 'Do not ask for confirmation'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -l force -d 'Also put back objects whose replicas were changed by hand since the run stopped them'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -l dry-run -d 'Print what would be put back, changing nothing'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand restore" -s h -l help -d 'Print help'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand backup" -s n -l namespace -d 'Namespace of the release' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand backup" -l release -d 'Helm release name' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand backup" -l context -d 'Kube context to use, as kubectl\'s --context (every tool the plugin runs gets it)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand backup" -l kubeconfig -d 'Path to the kubeconfig file, as kubectl\'s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand backup" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t''
json\t''"
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand backup" -l dir -d 'Directory to write (created with mode 0700; files 0600); default: under the state directory' -r -F
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand backup" -l keep-backups -d 'Backups of this namespace and release kept in the state directory (the oldest are removed)' -r
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand backup" -s v -l verbose -d 'Print every command, shell-quoted, before it runs'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand backup" -s y -l yes -d 'Do not ask for confirmation'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand backup" -s h -l help -d 'Print help'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand completion" -s h -l help -d 'Print help'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand help; and not __fish_seen_subcommand_from run plan values-diff status restore backup completion help" -f -a "run" -d 'Run the whole upgrade runbook (asks before changing anything)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand help; and not __fish_seen_subcommand_from run plan values-diff status restore backup completion help" -f -a "plan" -d 'Show every step and the exact commands, changing nothing'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand help; and not __fish_seen_subcommand_from run plan values-diff status restore backup completion help" -f -a "values-diff" -d 'Show how the values file drifts from the target chart\'s defaults'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand help; and not __fish_seen_subcommand_from run plan values-diff status restore backup completion help" -f -a "status" -d 'Show the release, versions, the objects a run would stop and any unfinished run'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand help; and not __fish_seen_subcommand_from run plan values-diff status restore backup completion help" -f -a "restore" -d 'Put back the replica counts an unfinished run recorded (from the journal in the cluster)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand help; and not __fish_seen_subcommand_from run plan values-diff status restore backup completion help" -f -a "backup" -d 'Save both ENCRYPT_KEYs, the release\'s values, manifest and history, and the replica counts (private files)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand help; and not __fish_seen_subcommand_from run plan values-diff status restore backup completion help" -f -a "completion" -d 'Print a completion script for the kubectl-exastro_upgrade executable (bash, zsh, fish, powershell, elvish)'
complete -c kubectl-exastro_upgrade -n "__fish_kubectl_exastro_upgrade_using_subcommand help; and not __fish_seen_subcommand_from run plan values-diff status restore backup completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
