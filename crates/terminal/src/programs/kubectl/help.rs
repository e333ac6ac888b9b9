//! `kubectl VERB --help`: the first lines of kubectl v1.33's help for each verb the lab has.

/// The short help of a verb, or `None` for verbs the lab does not have.
pub fn verb_help(verb: &str) -> Option<&'static str> {
    Some(match verb {
        "get" => "Display one or many resources.\n\nUsage:\n  kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]\n",
        "port-forward" => "Forward one or more local ports to a pod.\n\n Use resource type/name such as deployment/mydeployment to select a pod. Resource type defaults to 'pod' if omitted.\n\n If there are multiple pods matching the criteria, a pod will be selected automatically. The forwarding session ends when the selected pod terminates, and a rerun of the command is needed to resume forwarding.\n\nUsage:\n  kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]\n\nIn the lab it keeps forwarding only in the background: end the line with &, then stop it with kill %1.\n",
        "describe" => "Show details of a specific resource or group of resources.\n\nUsage:\n  kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]\n",
        "apply" => "Apply a configuration to a resource by file name or stdin.\n\nUsage:\n  kubectl apply (-f FILENAME | -k DIRECTORY) [options]\n",
        "create" => "Create a resource from a file or from stdin.\n\nUsage:\n  kubectl create -f FILENAME [options]\n\nAvailable Commands (in the lab):\n  configmap     Create a config map from a local file, directory or literal value\n  deployment    Create a deployment with the specified name\n  namespace     Create a namespace with the specified name\n  service       Create a service using a specified subcommand\n",
        "delete" => "Delete resources by file names, stdin, resources and names, or by resources and label selector.\n\nUsage:\n  kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]\n",
        "run" => "Create and run a particular image in a pod.\n\nUsage:\n  kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]\n",
        "exec" => "Execute a command in a container.\n\nUsage:\n  kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]\n",
        "logs" => "Print the logs for a container in a pod or specified resource.\n\nUsage:\n  kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]\n",
        "edit" => "Edit a resource from the default editor.\n\nUsage:\n  kubectl edit (RESOURCE/NAME | -f FILENAME) [options]\n",
        "patch" => "Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.\n\nUsage:\n  kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]\n",
        "annotate" => "Update the annotations on one or more resources.\n\nUsage:\n  kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]\n",
        "scale" => "Set a new size for a deployment, replica set, replication controller, or stateful set.\n\nUsage:\n  kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]\n",
        "expose" => "Expose a resource as a new Kubernetes service.\n\nUsage:\n  kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]\n",
        "taint" => "Update the taints on one or more nodes.\n\nUsage:\n  kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]\n",
        "label" => "Update the labels on a resource.\n\nUsage:\n  kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]\n",
        "wait" => "Experimental: Wait for a specific condition on one or many resources.\n\nUsage:\n  kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]\n",
        "cordon" => "Mark node as unschedulable.\n\nUsage:\n  kubectl cordon NODE [options]\n",
        "uncordon" => "Mark node as schedulable.\n\nUsage:\n  kubectl uncordon NODE [options]\n",
        "drain" => "Drain node in preparation for maintenance.\n\nUsage:\n  kubectl drain NODE [options]\n",
        "set" => "Configure application resources.\n\n These commands help you make changes to existing application resources.\n\nAvailable Commands (in the lab):\n  image           Update the image of a pod template\n\nUsage:\n  kubectl set SUBCOMMAND [options]\n",
        "rollout" => "Manage the rollout of one or many resources.\n\nUsage:\n  kubectl rollout SUBCOMMAND [options]\n",
        "config" => "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".\n\nUsage:\n  kubectl config SUBCOMMAND [options]\n",
        "cluster-info" => "Display addresses of the control plane and services with label kubernetes.io/cluster-service=true.\n\nUsage:\n  kubectl cluster-info [flags] [options]\n",
        "version" => "Print the client and server version information for the current context.\n\nUsage:\n  kubectl version [flags] [options]\n",
        _ => return None,
    })
}
