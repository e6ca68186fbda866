
use builtin;
use str;

set edit:completion:arg-completer[oc-3scale_upgrade] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'oc-3scale_upgrade'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'oc-3scale_upgrade'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand patch-images 'Add the new image stream tags and move every DeploymentConfig to them, one rollout at a time (asks first)'
            cand plan 'Show every step and the exact oc commands, changing nothing'
            cand status 'Show the image stream tags and imports, each DeploymentConfig''s trigger and rollout, and AMP_RELEASE'
            cand build-oracle-image 'Oracle: build amp-system:<to>-oracle (the guide''s first step) from the templates'' amp/system-oracle directory'
            cand completion 'Print a completion script for the oc-3scale_upgrade executable (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oc-3scale_upgrade;patch-images'= {
            cand -n 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)'
            cand --namespace 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)'
            cand --context 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)'
            cand --kubeconfig 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --db 'The system database; default: detected (-oracle trigger tags, or a system-mysql/system-postgresql DC)'
            cand --from 'The installed 3scale version'
            cand --to 'The 3scale version to move to'
            cand --component 'Only these components: the guide''s names (system, apicast, backend, zync, memcached, zync-database, redis, mysql, postgresql) or image streams (e.g. amp-system); repeatable or comma-separated; default: all'
            cand --registry 'Replace registry.redhat.io in the new tags'' sources (mirrored or disconnected clusters)'
            cand --timeout 'Bound for each wait: the image imports, and each DeploymentConfig''s rollout (e.g. 20m, 90s)'
            cand --oracle-build-dir 'Oracle: build amp-system:<to>-oracle first from this directory (the templates'' amp/system-oracle with oracle-client-files/ filled), when it is not built yet'
            cand -v 'Print every command, shell-quoted, before it runs'
            cand --verbose 'Print every command, shell-quoted, before it runs'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --dry-run 'Run only the read-only steps and print the commands the others would run'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oc-3scale_upgrade;plan'= {
            cand -n 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)'
            cand --namespace 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)'
            cand --context 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)'
            cand --kubeconfig 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --db 'The system database; default: detected (-oracle trigger tags, or a system-mysql/system-postgresql DC)'
            cand --from 'The installed 3scale version'
            cand --to 'The 3scale version to move to'
            cand --component 'Only these components: the guide''s names (system, apicast, backend, zync, memcached, zync-database, redis, mysql, postgresql) or image streams (e.g. amp-system); repeatable or comma-separated; default: all'
            cand --registry 'Replace registry.redhat.io in the new tags'' sources (mirrored or disconnected clusters)'
            cand --timeout 'Bound for each wait: the image imports, and each DeploymentConfig''s rollout (e.g. 20m, 90s)'
            cand --oracle-build-dir 'Oracle: build amp-system:<to>-oracle first from this directory (the templates'' amp/system-oracle with oracle-client-files/ filled), when it is not built yet'
            cand -v 'Print every command, shell-quoted, before it runs'
            cand --verbose 'Print every command, shell-quoted, before it runs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oc-3scale_upgrade;status'= {
            cand -n 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)'
            cand --namespace 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)'
            cand --context 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)'
            cand --kubeconfig 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand -v 'Print every command, shell-quoted, before it runs'
            cand --verbose 'Print every command, shell-quoted, before it runs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oc-3scale_upgrade;build-oracle-image'= {
            cand -n 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)'
            cand --namespace 'Project (namespace) of the 3scale install; default: the current project (`oc project -q`)'
            cand --context 'Kube context to use, as kubectl''s --context (every tool the plugin runs gets it)'
            cand --kubeconfig 'Path to the kubeconfig file, as kubectl''s --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --from-dir 'The templates'' amp/system-oracle directory with oracle-client-files/ filled (the three Instant Client zips)'
            cand --registry 'Replace registry.redhat.io in the image the build starts from (mirrored or disconnected clusters)'
            cand --timeout 'Bound for the build (e.g. 30m)'
            cand -v 'Print every command, shell-quoted, before it runs'
            cand --verbose 'Print every command, shell-quoted, before it runs'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --dry-run 'Run only the read-only steps and print the commands the others would run'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oc-3scale_upgrade;completion'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'oc-3scale_upgrade;help'= {
            cand patch-images 'Add the new image stream tags and move every DeploymentConfig to them, one rollout at a time (asks first)'
            cand plan 'Show every step and the exact oc commands, changing nothing'
            cand status 'Show the image stream tags and imports, each DeploymentConfig''s trigger and rollout, and AMP_RELEASE'
            cand build-oracle-image 'Oracle: build amp-system:<to>-oracle (the guide''s first step) from the templates'' amp/system-oracle directory'
            cand completion 'Print a completion script for the oc-3scale_upgrade executable (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oc-3scale_upgrade;help;patch-images'= {
        }
        &'oc-3scale_upgrade;help;plan'= {
        }
        &'oc-3scale_upgrade;help;status'= {
        }
        &'oc-3scale_upgrade;help;build-oracle-image'= {
        }
        &'oc-3scale_upgrade;help;completion'= {
        }
        &'oc-3scale_upgrade;help;help'= {
        }
    ]
    $completions[$command]
}
