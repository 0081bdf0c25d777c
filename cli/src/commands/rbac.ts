/**
 * `kubectl hyperpod rbac`: the ClusterRole an action set needs and its ClusterRoleBinding, from the
 * permission sets that generate permissions/kubernetes/ (the same rendering: with no subject flag
 * the output is the shipped file). `-o yaml` pipes into `kubectl apply -f -`.
 */
import { Flags } from '@oclif/core';
import {
  BaseCommand,
  baseFlagsWithout,
  CLUSTER_SELECTION_FLAGS,
  exitCodesHelp,
  FLEET_SCAN_FLAGS,
} from '../BaseCommand';
import { usageError } from '../CliError';
import { ExitCode } from '../exitCodes';

const SETS = ['readonly', 'operate', 'install'] as const;
/** A Kubernetes object name (DNS subdomain) and a namespace (DNS label). */
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

type Subject =
  | { kind: 'User' | 'Group'; apiGroup: 'rbac.authorization.k8s.io'; name: string }
  | { kind: 'ServiceAccount'; name: string; namespace: string };

export interface RbacResult {
  apiVersion: 'v1';
  kind: 'List';
  items: Record<string, unknown>[];
}

export default class Rbac extends BaseCommand<typeof Rbac> {
  static override summary =
    'Print the Kubernetes ClusterRole and ClusterRoleBinding an action set needs.';
  static override description = `Prints the ClusterRole of an action set (--set: readonly for status and drift, operate for migrate, rollback and upgrade, install for creating the inference add-ons) and a ClusterRoleBinding of it, as YAML documents \`kubectl apply -f -\` takes (or a v1 List with -o json). They come from the same permission sets as permissions/kubernetes/hyperpod-<set>.yaml; without a subject flag the output is that file, bound to the group hyperpod:<set>.

Bind someone else with --user, --group or --serviceaccount NAMESPACE:NAME (each repeatable); the binding is then named hyperpod-<set>-<first subject> unless --binding-name says otherwise, so bindings for several people do not replace each other. Reads no cluster.

${exitCodesHelp([ExitCode.Ok, ExitCode.Unexpected, ExitCode.Usage])}`;

  // Reads no cluster: a cluster or scan flag is refused; --timeout (nothing to wait for) is not.
  static override baseFlags = baseFlagsWithout([
    ...CLUSTER_SELECTION_FLAGS,
    ...FLEET_SCAN_FLAGS,
    'timeout',
  ]);
  static notApplicable: readonly string[] = [...CLUSTER_SELECTION_FLAGS, ...FLEET_SCAN_FLAGS];

  static override flags = {
    set: Flags.string({
      summary:
        'Action set: readonly (status, drift), operate (migrate, rollback, upgrade), install.',
      options: [...SETS],
      default: 'readonly',
    }),
    user: Flags.string({ summary: 'Bind this Kubernetes user (repeatable).', multiple: true }),
    group: Flags.string({ summary: 'Bind this Kubernetes group (repeatable).', multiple: true }),
    serviceaccount: Flags.string({
      summary: 'Bind this service account, NAMESPACE:NAME (repeatable).',
      multiple: true,
      helpValue: 'NAMESPACE:NAME',
    }),
    'binding-name': Flags.string({ summary: 'Name of the ClusterRoleBinding.' }),
    output: Flags.string({
      char: 'o',
      summary: 'Output format: YAML documents (for kubectl apply -f -) or a JSON v1 List.',
      options: ['yaml', 'json'],
      default: 'yaml',
      helpGroup: 'GLOBAL',
    }),
  };

  static override examples = [
    {
      description: 'Let the group hyperpod:readonly run status and drift on this cluster',
      command: 'kubectl hyperpod rbac -o yaml | kubectl apply -f -',
    },
    {
      description: 'Let one user migrate and roll back',
      command: 'kubectl hyperpod rbac --set operate --user alice@example.com | kubectl apply -f -',
    },
    {
      description: 'Let the portal backend’s service account operate',
      command:
        'kubectl hyperpod rbac --set operate --serviceaccount backstage:hyperpod-backend | kubectl apply -f -',
    },
  ];

  async run(): Promise<RbacResult> {
    const f = this.flags;
    const subjects = this.subjects();
    const bindingName = f['binding-name'] ?? defaultBindingName(f.set, subjects);
    if (!NAME.test(bindingName))
      throw usageError(
        `--binding-name "${bindingName}" is not a Kubernetes object name (lower-case letters, digits, - and .)`,
        this.commandLine.with({ 'binding-name': `hyperpod-${f.set}-alice` }),
      );
    const { clusterRoleManifests, rbacObjects, PERMISSION_BUNDLES } =
      await import('@hyperpod/core-node');
    const bundle = PERMISSION_BUNDLES.find((b) => b.name === f.set)!;
    const opts = subjects.length ? { subjects, bindingName } : { bindingName };
    const result: RbacResult = { apiVersion: 'v1', kind: 'List', items: rbacObjects(bundle, opts) };
    if (f.output === 'json') process.stdout.write(JSON.stringify(result, undefined, 2) + '\n');
    else process.stdout.write(clusterRoleManifests(bundle, opts));
    return result;
  }

  private subjects(): Subject[] {
    const f = this.flags;
    const out: Subject[] = [];
    const group = 'rbac.authorization.k8s.io' as const;
    for (const name of f.user ?? []) out.push({ kind: 'User', apiGroup: group, name });
    for (const name of f.group ?? []) out.push({ kind: 'Group', apiGroup: group, name });
    for (const sa of f.serviceaccount ?? []) {
      const [namespace = '', name = '', ...rest] = sa.split(':');
      if (rest.length || !NAMESPACE.test(namespace) || !NAME.test(name))
        throw usageError(
          `--serviceaccount "${sa}" is not NAMESPACE:NAME (as kubectl create clusterrolebinding takes it)`,
          this.commandLine.with({ serviceaccount: 'kube-system:hyperpod' }),
        );
      out.push({ kind: 'ServiceAccount', namespace, name });
    }
    for (const s of out)
      if (s.name.trim() === '')
        throw usageError(
          `--${s.kind.toLowerCase()} needs a name`,
          this.commandLine.with({ [s.kind.toLowerCase()]: 'alice' }),
        );
    return out;
  }
}

/** `hyperpod-operate` for the default group; `hyperpod-operate-user-alice-example.com` otherwise. */
function defaultBindingName(set: string, subjects: Subject[]): string {
  const first = subjects[0];
  if (!first) return `hyperpod-${set}`;
  const who =
    first.kind === 'ServiceAccount'
      ? `sa-${first.namespace}-${first.name}`
      : `${first.kind.toLowerCase()}-${first.name}`;
  const cleaned = `hyperpod-${set}-${who}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, '');
  return cleaned;
}
