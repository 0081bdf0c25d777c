/** Usage errors (exit 2): flags, commands, arguments and durations. */
import { R, at, esc, type BadInput } from './BadInput';

export const flags: BadInput[] = [
  {
    input: 'an output format kubectl does not know',
    args: at('status', '--context', R, '-o', 'xml'),
    code: 2,
    first: /^error: Expected --output=xml to be one of: table, wide, json, yaml$/,
    fix: /^try: kubectl hyperpod status --help$/,
  },
  {
    input: 'an output format given with =',
    args: at('drift', '--context', R, '--output=csv'),
    code: 2,
    first: /^error: Expected --output=csv to be one of/,
  },
  {
    input: '--concurrency 0',
    args: at('status', '-A', '--concurrency', '0'),
    code: 2,
    first: /^error: --concurrency: Expected an integer greater than or equal to 1 but received: 0$/,
  },
  {
    input: '--concurrency 257',
    args: at('status', '-A', '--concurrency', '257'),
    code: 2,
    first:
      /^error: --concurrency: Expected an integer less than or equal to 256 but received: 257$/,
  },
  {
    input: '--concurrency that is not a number',
    args: at('status', '-A', '--concurrency', 'many'),
    code: 2,
    first: /^error: --concurrency: Expected an integer but received: many$/,
  },
  {
    input: '--rate-limit 0',
    args: at('status', '--context', R, '--rate-limit', '0'),
    code: 2,
    first: /^error: --rate-limit: Expected an integer greater than or equal to 1 but received: 0$/,
  },
  {
    input: '--rate-limit 1001',
    args: at('status', '--context', R, '--rate-limit', '1001'),
    code: 2,
    first: /^error: --rate-limit: Expected an integer less than or equal to 1000/,
  },
  {
    input: '--fail-on with an unknown gate',
    args: at('status', '--context', R, '--fail-on', 'everything'),
    code: 2,
    first: /^error: Expected --fail-on=everything to be one of: degraded, drift$/,
  },
  {
    input: 'a flag that does not exist',
    args: at('drift', '--namespace', 'kube-system'),
    code: 2,
    first: /^error: Nonexistent flag: --namespace$/,
  },
  {
    input: 'a short flag that does not exist',
    args: at('status', '-n', 'kube-system'),
    code: 2,
    first: /^error: Nonexistent flag: -n$/,
  },
  {
    input: '--context together with --cluster',
    args: at('status', '--context', R, '--cluster', 'ml-prod-use1'),
    code: 2,
    first: /^error: --context selects one cluster; it cannot be combined with --cluster$/,
    fix: /^try: kubectl hyperpod status --context ml-research-usw2$/,
  },
  {
    input: '-A together with --cluster',
    args: at('status', '-A', '--cluster', 'ml-prod-use1'),
    code: 2,
    first: /^error: --all-clusters selects every cluster; it cannot be combined with --cluster$/,
  },
  {
    input: '--context together with -A',
    args: at('drift', '--context', R, '-A'),
    code: 2,
    first: /^error: --context selects one cluster; it cannot be combined with --all-clusters$/,
  },
  {
    input: 'a flag without its value',
    args: at('status', '--context'),
    code: 2,
    first: /^error: Flag --context expects a value$/,
  },
  {
    input: 'a cluster name where kubectl takes a resource name (status NAME)',
    args: at('status', 'ml-prod-use1'),
    code: 2,
    first:
      /^error: status takes no arguments: "ml-prod-use1" \(a cluster is chosen with --cluster, --context, -A or -f\)$/,
    fix: /^try: kubectl hyperpod status --cluster ml-prod-use1$/,
  },
  {
    input: 'drift NAME with a flag after it',
    args: at('drift', 'ml-prod-use1', '-o', 'wide'),
    code: 2,
    first: /^error: drift takes no arguments: "ml-prod-use1"/,
    fix: /^try: kubectl hyperpod drift -o wide --cluster ml-prod-use1$/,
  },
  {
    input: 'a misspelt command',
    args: at('stauts', '-A'),
    code: 2,
    first: /^error: unknown command "stauts"$/,
    fix: /^try: kubectl hyperpod status -A$/,
  },
  {
    input: 'a misspelt sub-command',
    args: at('addons', 'version', 'coredns'),
    code: 2,
    first: /^error: unknown command "addons version"$/,
    fix: /^try: kubectl hyperpod addons versions coredns$/,
  },
  {
    input: 'a command that does not exist at all',
    args: at('frobnicate'),
    code: 2,
    first: /^error: unknown command "frobnicate"$/,
    fix: /^try: kubectl hyperpod --help$/,
  },
  {
    input: 'help for a misspelt command',
    args: at('help', 'drfit'),
    code: 2,
    first: /^error: unknown command "drfit"$/,
    fix: /^try: kubectl hyperpod drift$/,
  },
  {
    input: 'addons versions without the add-on',
    args: at('addons', 'versions', '--context', R),
    code: 2,
    first:
      /^error: missing argument NAME \(EKS add-on name, e\.g\. amazon-sagemaker-hyperpod-inference\): kubectl hyperpod addons versions NAME$/,
  },
  {
    input: 'upgrade without the add-on',
    args: at('upgrade', '--context', R),
    code: 2,
    first: /^error: upgrade needs the add-on to upgrade/,
  },
  {
    input: 'upgrade without --to',
    args: at('upgrade', 'vpc-cni', '--context', R),
    code: 2,
    first: /^error: .*--to/,
  },
  {
    input: 'upgrade with --concurrency (one cluster)',
    args: at('upgrade', 'vpc-cni', '--to', 'latest', '--context', R, '--concurrency', '2'),
    code: 2,
    first: /^error: --concurrency does not apply to kubectl hyperpod upgrade$/,
  },
  {
    input: 'upgrade with -A',
    args: at('upgrade', 'vpc-cni', '--to', 'latest', '-A', '--dry-run'),
    code: 2,
    first: /^error: upgrade works on one cluster at a time; -A selects every cluster$/,
  },
  {
    input: 'migrate with --fail-on',
    args: at('migrate', '--context', 'ml-prod-use1', '--dry-run', '--fail-on', 'drift'),
    code: 2,
    first: /^error: --fail-on applies to status and drift$/,
  },
  {
    input: 'migrate with --rate-limit',
    args: at('migrate', '--context', 'ml-prod-use1', '--dry-run', '--rate-limit', '5'),
    code: 2,
    first: /^error: --rate-limit does not apply to kubectl hyperpod migrate$/,
  },
  {
    input: 'migrate with an unknown profile argument',
    args: at('migrate', 'hyperpod-inferenc', '--context', 'ml-prod-use1', '--dry-run'),
    code: 2,
    first: /^error: Expected hyperpod-inferenc to be one of/,
  },
  {
    input: 'migrate --dry-run with an unknown mode',
    args: at('migrate', '--context', 'ml-prod-use1', '--dry-run=bogus'),
    code: 2,
    first: /^error: Expected --dry-run=bogus to be one of: none, client, server$/,
  },
  {
    input: 'migrate history with --context',
    args: at('migrate', 'history', '--context', R),
    code: 2,
    first: /^error: migrate history reads the run store, not clusters: filter with --cluster NAME$/,
  },
  {
    input: 'migrate history with --timeout',
    args: at('migrate', 'history', '--timeout', '5s'),
    code: 2,
    first: /^error: --timeout does not apply to kubectl hyperpod migrate history$/,
  },
  {
    input: 'requests with a kubeconfig flag',
    args: at('requests', 'list', '--context', R),
    code: 2,
    first:
      /^error: kubectl hyperpod requests list talks to the portal, not to clusters: --context has no meaning here$/,
  },
];

const MORE_THAN_ZERO = ': it must be more than zero';
const TIMEOUT_30S = /^try: kubectl hyperpod status --context ml-research-usw2 --timeout 30s$/;
const status = (...timeout: string[]) => ['status', '--context', R, ...timeout];

/** A --timeout that is no duration: exit 2, the error quoting `value` (then `rest`). */
function badTimeout(
  input: string,
  args: string[],
  value: string,
  rest = '',
  fix?: RegExp,
): BadInput {
  const first = new RegExp(`^error: invalid duration "${esc(value)}"${rest}`);
  return { input, args: at(...args), code: 2, first, ...(fix ? { fix } : {}) };
}

export const durations: BadInput[] = [
  badTimeout('--timeout 0', status('--timeout', '0'), '0', MORE_THAN_ZERO, TIMEOUT_30S),
  badTimeout('--timeout 0s', status('--timeout', '0s'), '0s', MORE_THAN_ZERO),
  badTimeout('--timeout 0ms', ['drift', '--context', R, '--timeout', '0ms'], '0ms', MORE_THAN_ZERO),
  badTimeout('--timeout -5', status('--timeout', '-5'), '-5', MORE_THAN_ZERO, TIMEOUT_30S),
  badTimeout('--timeout=-1m', status('--timeout=-1m'), '-1m', MORE_THAN_ZERO, TIMEOUT_30S),
  badTimeout(
    '--timeout that is a word',
    status('--timeout', 'soon'),
    'soon',
    ' \\(use e\\.g\\. 30s, 2m, 1m30s\\)$',
  ),
  badTimeout('--timeout with an unknown unit', status('--timeout', '30x'), '30x'),
  badTimeout('--timeout empty', status('--timeout', ''), ''),
  badTimeout('--timeout with a trailing sign', status('--timeout', '1m-'), '1m-'),
  badTimeout('--timeout in days', status('--timeout', '1d'), '1d'),
  {
    input: 'upgrade --wait-timeout 0',
    args: at('upgrade', 'vpc-cni', '--to', 'latest', '--context', R, '--wait-timeout', '0'),
    code: 2,
    first: /^error: --wait-timeout: Expected an integer greater than or equal to 1/,
  },
];
