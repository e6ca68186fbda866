# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_oc_3scale_upgrade_global_optspecs
    string join \n h/help V/version
end

function __fish_oc_3scale_upgrade_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_oc_3scale_upgrade_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_oc_3scale_upgrade_using_subcommand
    set -l cmd (__fish_oc_3scale_upgrade_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_needs_command" -s h -l help -d 'Print help'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_needs_command" -s V -l version -d 'Print version'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_needs_command" -f -a "patch-images" -d 'Add the new image stream tags and move every DeploymentConfig to them, one rollout at a time (asks first)'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_needs_command" -f -a "plan" -d 'Show every step and the exact oc commands, changing nothing'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_needs_command" -f -a "status" -d 'Show the image stream tags and imports, each DeploymentConfig\'s trigger and rollout, and AMP_RELEASE'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_needs_command" -f -a "build-oracle-image" -d 'Oracle: build amp-system:<to>-oracle (the guide\'s first step) from the templates\' amp/system-oracle directory'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_needs_command" -f -a "completion" -d 'Print a completion script for the oc-3scale_upgrade executable (bash, zsh, fish, powershell, elvish)'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -s n -l namespace -d 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -l context -d 'Kube context to use, as kubectl\'s --context (every tool the plugin runs gets it)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -l kubeconfig -d 'Path to the kubeconfig file, as kubectl\'s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t''
json\t''"
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -l db -d 'The system database; default: detected (-oracle trigger tags, or a system-mysql/system-postgresql DC)' -r -f -a "oracle\t''
mysql\t''
postgresql\t''"
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -l from -d 'The installed 3scale version' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -l to -d 'The 3scale version to move to' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -l component -d 'Only these components: the guide\'s names (system, apicast, backend, zync, memcached, zync-database, redis, mysql, postgresql) or image streams (e.g. amp-system); repeatable or comma-separated; default: all' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -l registry -d 'Replace registry.redhat.io in the new tags\' sources (mirrored or disconnected clusters)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -l timeout -d 'Bound for each wait: the image imports, and each DeploymentConfig\'s rollout (e.g. 20m, 90s)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -l oracle-build-dir -d 'Oracle: build amp-system:<to>-oracle first from this directory (the templates\' amp/system-oracle with oracle-client-files/ filled), when it is not built yet' -r -f -a "(__fish_complete_directories)"
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -s v -l verbose -d 'Print every command, shell-quoted, before it runs'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -s y -l yes -d 'Do not ask for confirmation'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -l dry-run -d 'Run only the read-only steps and print the commands the others would run'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -s h -l help -d 'Print help'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand patch-images" -s V -l version -d 'Print version'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -s n -l namespace -d 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -l context -d 'Kube context to use, as kubectl\'s --context (every tool the plugin runs gets it)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -l kubeconfig -d 'Path to the kubeconfig file, as kubectl\'s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t''
json\t''"
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -l db -d 'The system database; default: detected (-oracle trigger tags, or a system-mysql/system-postgresql DC)' -r -f -a "oracle\t''
mysql\t''
postgresql\t''"
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -l from -d 'The installed 3scale version' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -l to -d 'The 3scale version to move to' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -l component -d 'Only these components: the guide\'s names (system, apicast, backend, zync, memcached, zync-database, redis, mysql, postgresql) or image streams (e.g. amp-system); repeatable or comma-separated; default: all' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -l registry -d 'Replace registry.redhat.io in the new tags\' sources (mirrored or disconnected clusters)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -l timeout -d 'Bound for each wait: the image imports, and each DeploymentConfig\'s rollout (e.g. 20m, 90s)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -l oracle-build-dir -d 'Oracle: build amp-system:<to>-oracle first from this directory (the templates\' amp/system-oracle with oracle-client-files/ filled), when it is not built yet' -r -f -a "(__fish_complete_directories)"
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -s v -l verbose -d 'Print every command, shell-quoted, before it runs'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -s h -l help -d 'Print help'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand plan" -s V -l version -d 'Print version'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand status" -s n -l namespace -d 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand status" -l context -d 'Kube context to use, as kubectl\'s --context (every tool the plugin runs gets it)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand status" -l kubeconfig -d 'Path to the kubeconfig file, as kubectl\'s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand status" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t''
json\t''"
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand status" -s v -l verbose -d 'Print every command, shell-quoted, before it runs'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand status" -s h -l help -d 'Print help'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand status" -s V -l version -d 'Print version'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -s n -l namespace -d 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -l context -d 'Kube context to use, as kubectl\'s --context (every tool the plugin runs gets it)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -l kubeconfig -d 'Path to the kubeconfig file, as kubectl\'s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -s o -l output -d 'Output format of the result on stdout' -r -f -a "text\t''
json\t''"
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -l from-dir -d 'The templates\' amp/system-oracle directory with oracle-client-files/ filled (the three Instant Client zips)' -r -f -a "(__fish_complete_directories)"
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -l registry -d 'Replace registry.redhat.io in the image the build starts from (mirrored or disconnected clusters)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -l timeout -d 'Bound for the build (e.g. 30m)' -r
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -s v -l verbose -d 'Print every command, shell-quoted, before it runs'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -s y -l yes -d 'Do not ask for confirmation'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -l dry-run -d 'Run only the read-only steps and print the commands the others would run'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -s h -l help -d 'Print help'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand build-oracle-image" -s V -l version -d 'Print version'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand completion" -s h -l help -d 'Print help'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand completion" -s V -l version -d 'Print version'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand help; and not __fish_seen_subcommand_from patch-images plan status build-oracle-image completion help" -f -a "patch-images" -d 'Add the new image stream tags and move every DeploymentConfig to them, one rollout at a time (asks first)'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand help; and not __fish_seen_subcommand_from patch-images plan status build-oracle-image completion help" -f -a "plan" -d 'Show every step and the exact oc commands, changing nothing'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand help; and not __fish_seen_subcommand_from patch-images plan status build-oracle-image completion help" -f -a "status" -d 'Show the image stream tags and imports, each DeploymentConfig\'s trigger and rollout, and AMP_RELEASE'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand help; and not __fish_seen_subcommand_from patch-images plan status build-oracle-image completion help" -f -a "build-oracle-image" -d 'Oracle: build amp-system:<to>-oracle (the guide\'s first step) from the templates\' amp/system-oracle directory'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand help; and not __fish_seen_subcommand_from patch-images plan status build-oracle-image completion help" -f -a "completion" -d 'Print a completion script for the oc-3scale_upgrade executable (bash, zsh, fish, powershell, elvish)'
complete -c oc-3scale_upgrade -n "__fish_oc_3scale_upgrade_using_subcommand help; and not __fish_seen_subcommand_from patch-images plan status build-oracle-image completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
