/**
 * The bad inputs a new user types in the first hour, one row each: the command line, the
 * environment it runs in, the exit code from the documented table and the first line on stderr.
 */
import type { Sandbox } from '@hyperpod/sandbox';
import type { SandboxFleet } from '../support/sandboxFleet';
import type { BadFiles } from './fixtures';

export interface Ctx {
  sb: Sandbox;
  fleet: SandboxFleet;
  files: BadFiles;
}

export interface BadInput {
  /** What is wrong, for the test name. */
  input: string;
  args: (c: Ctx) => string[];
  env?: (c: Ctx) => Record<string, string>;
  code: number;
  /** The first line of stderr. */
  first: RegExp | ((c: Ctx) => RegExp);
  /** The `try:` line, when the case pins it. */
  fix?: RegExp | ((c: Ctx) => RegExp);
}

const R = 'ml-research-usw2';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const at =
  (...args: string[]) =>
  () =>
    args;
const withEnv =
  (extra: (c: Ctx) => Record<string, string | undefined>) =>
  (c: Ctx): Record<string, string> => {
    const env = { ...c.fleet.env };
    for (const [k, v] of Object.entries(extra(c))) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  };

const flags: BadInput[] = [
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
    input: '--concurrency 65',
    args: at('status', '-A', '--concurrency', '65'),
    code: 2,
    first: /^error: --concurrency: Expected an integer less than or equal to 64 but received: 65$/,
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

const durations: BadInput[] = [
  {
    input: '--timeout 0',
    args: at('status', '--context', R, '--timeout', '0'),
    code: 2,
    first: /^error: invalid duration "0": it must be more than zero/,
    fix: /^try: kubectl hyperpod status --context ml-research-usw2 --timeout 30s$/,
  },
  {
    input: '--timeout 0s',
    args: at('status', '--context', R, '--timeout', '0s'),
    code: 2,
    first: /^error: invalid duration "0s": it must be more than zero/,
  },
  {
    input: '--timeout 0ms',
    args: at('drift', '--context', R, '--timeout', '0ms'),
    code: 2,
    first: /^error: invalid duration "0ms": it must be more than zero/,
  },
  {
    input: '--timeout -5',
    args: at('status', '--context', R, '--timeout', '-5'),
    code: 2,
    first: /^error: invalid duration "-5": it must be more than zero/,
    fix: /^try: kubectl hyperpod status --context ml-research-usw2 --timeout 30s$/,
  },
  {
    input: '--timeout=-1m',
    args: at('status', '--context', R, '--timeout=-1m'),
    code: 2,
    first: /^error: invalid duration "-1m": it must be more than zero/,
    fix: /^try: kubectl hyperpod status --context ml-research-usw2 --timeout 30s$/,
  },
  {
    input: '--timeout that is a word',
    args: at('status', '--context', R, '--timeout', 'soon'),
    code: 2,
    first: /^error: invalid duration "soon" \(use e\.g\. 30s, 2m, 1m30s\)$/,
  },
  {
    input: '--timeout with an unknown unit',
    args: at('status', '--context', R, '--timeout', '30x'),
    code: 2,
    first: /^error: invalid duration "30x"/,
  },
  {
    input: '--timeout empty',
    args: at('status', '--context', R, '--timeout', ''),
    code: 2,
    first: /^error: invalid duration ""/,
  },
  {
    input: '--timeout with a trailing sign',
    args: at('status', '--context', R, '--timeout', '1m-'),
    code: 2,
    first: /^error: invalid duration "1m-"/,
  },
  {
    input: '--timeout in days',
    args: at('status', '--context', R, '--timeout', '1d'),
    code: 2,
    first: /^error: invalid duration "1d"/,
  },
  {
    input: 'upgrade --wait-timeout 0',
    args: at('upgrade', 'vpc-cni', '--to', 'latest', '--context', R, '--wait-timeout', '0'),
    code: 2,
    first: /^error: --wait-timeout: Expected an integer greater than or equal to 1/,
  },
];

const names: BadInput[] = [
  {
    input: 'a cluster name with a space and !',
    args: at('status', '--cluster', 'ml prod!'),
    code: 3,
    first: /^error: "ml prod!" is not a valid EKS cluster name .*\(known: .*ml-prod-use1/,
    fix: /^try: kubectl hyperpod status --cluster ml-prod-use1$/,
  },
  {
    input: 'a shell command as a cluster name',
    args: at('status', '--cluster', 'ml-rm -rf /tmp'),
    code: 3,
    first: /^error: "ml-rm -rf \/tmp" is not a valid EKS cluster name/,
    fix: /^try: kubectl hyperpod status --cluster ml-[a-z]+-us[ew][12]$/,
  },
  {
    input: 'a cluster name starting with _',
    args: at('drift', '--cluster', '_prod'),
    code: 3,
    first: /^error: "_prod" is not a valid EKS cluster name/,
  },
  {
    input: 'a cluster name of 101 characters',
    args: at('status', '--cluster', 'a'.repeat(101)),
    code: 3,
    first: /^error: "a{101}" is not a valid EKS cluster name/,
  },
  {
    input: 'a cluster name with a dot',
    args: at('status', '--cluster', 'ml.prod'),
    code: 3,
    first: /^error: "ml\.prod" is not a valid EKS cluster name/,
    fix: /^try: kubectl hyperpod status --cluster ml-prod-use1$/,
  },
  {
    input: 'a cluster that is not in the kubeconfig',
    args: at('status', '--cluster', 'ml-prod-use9'),
    code: 3,
    first: /^error: cluster "ml-prod-use9" not found in .*config \(known: /,
    fix: /^try: kubectl hyperpod status --cluster ml-prod-use1$/,
  },
  {
    input: 'a context that is not in the kubeconfig',
    args: at('status', '--context', 'ml-prod'),
    code: 3,
    first: /^error: context "ml-prod" not found in .*config \(known: /,
    fix: /^try: kubectl hyperpod status --context ml-prod-use1$/,
  },
  {
    input: 'a region that does not exist',
    args: at('status', '--context', R, '--region', 'us-east-9'),
    code: 3,
    first: /^error: region "us-east-9" is not an AWS region$/,
    fix: /^try: kubectl hyperpod status --context ml-research-usw2 --region us-east-\d$/,
  },
  {
    input: 'a region by city name',
    args: at('status', '--context', R, '--region', 'eu-frankfurt'),
    code: 3,
    first: /^error: region "eu-frankfurt" is not an AWS region$/,
  },
  {
    input: 'a region in capitals',
    args: at('status', '--context', R, '--region', 'US-EAST-1'),
    code: 3,
    first: /^error: region "US-EAST-1" is not an AWS region$/,
    fix: /--region us-east-1$/,
  },
  {
    input: 'an add-on name with a space',
    args: at('addons', 'versions', 'VPC CNI', '--context', R),
    code: 3,
    first: /^error: "VPC CNI" is not a valid EKS add-on name/,
  },
  {
    input: 'an add-on EKS does not offer',
    args: at(
      'addons',
      'versions',
      'amazon-sagemaker-hyperpod-inferenc',
      '--context',
      'ml-staging-usw2',
    ),
    code: 3,
    first: /^error: add-on "amazon-sagemaker-hyperpod-inferenc" is not offered by EKS in us-west-2/,
    fix: /^try: kubectl hyperpod addons versions amazon-sagemaker-hyperpod-inference --context ml-staging-usw2$/,
  },
  {
    input: 'upgrade of an invalid add-on name',
    args: at('upgrade', 'Core DNS', '--to', 'latest', '--context', R, '--dry-run'),
    code: 3,
    first: /^error: "Core DNS" is not a valid EKS add-on name/,
  },
  {
    input: 'a cluster that is not in the account',
    args: (c) => [
      'status',
      '--cluster',
      'ml-ghost-use1',
      '--region',
      'us-east-1',
      '--profile',
      c.fleet.profileOf('111111111111'),
    ],
    code: 3,
    first: /^error: cluster ml-ghost-use1: describe cluster failed: .*ml-ghost-use1/,
    fix: /^try: aws eks list-clusters --region us-east-1 --profile prod/,
  },
];

const file = (name: string) => (c: Ctx) => c.files.file(name);
const kc =
  (name: string, ...args: string[]) =>
  (c: Ctx) => ['status', ...args, '--kubeconfig', file(name)(c)];
const kubeconfigs: BadInput[] = [
  {
    input: 'a kubeconfig that does not exist',
    args: kc('nope'),
    code: 3,
    first: (c) => new RegExp(`^error: kubeconfig ${esc(file('nope')(c))} does not exist$`),
  },
  {
    input: '--kubeconfig naming a directory',
    args: kc('a-directory'),
    code: 3,
    first: (c) =>
      new RegExp(`^error: kubeconfig ${esc(file('a-directory')(c))} is a directory, not a file$`),
    fix: (c) =>
      new RegExp(
        `^try: kubectl hyperpod status --kubeconfig ${esc(file('a-directory')(c))}/config$`,
      ),
  },
  {
    input: 'KUBECONFIG naming a directory',
    args: at('status'),
    env: withEnv((c) => ({ KUBECONFIG: file('a-directory')(c) })),
    code: 3,
    first: /^error: kubeconfig \S+a-directory is a directory, not a file$/,
    fix: /^try: KUBECONFIG=\S+a-directory\/config kubectl hyperpod status$/,
  },
  {
    input: 'an empty kubeconfig',
    args: kc('empty'),
    code: 3,
    first: /^error: kubeconfig \S+empty is empty \(no clusters, users or contexts\)$/,
  },
  {
    input: 'a kubeconfig of comments only',
    args: kc('comments-only'),
    code: 3,
    first: /^error: kubeconfig \S+comments-only is empty/,
  },
  {
    input: 'a kubeconfig that is not YAML',
    args: kc('not-yaml'),
    code: 3,
    first: /^error: kubeconfig \S+not-yaml is not valid YAML \(line \d+\)/,
  },
  {
    input: 'a kubeconfig that is a YAML list',
    args: kc('a-list'),
    code: 3,
    first:
      /^error: kubeconfig \S+a-list is not a kubeconfig: expected a mapping with clusters, users and contexts$/,
  },
  {
    input: 'a kubeconfig with an alias to no anchor',
    args: kc('dangling-alias'),
    code: 3,
    first: /^error: kubeconfig \S+dangling-alias is not valid YAML/,
  },
  {
    input: 'a kubeconfig whose clusters is a map',
    args: kc('clusters-map'),
    code: 3,
    first: /^error: kubeconfig \S+clusters-map is not a kubeconfig: clusters must be a list$/,
  },
  {
    input: 'a kubeconfig context without a name',
    args: kc('context-without-name'),
    code: 3,
    first:
      /^error: kubeconfig \S+context-without-name is not a kubeconfig: contexts\[0\]\.name must be a non-empty string$/,
  },
  {
    input: 'a kubeconfig without current-context',
    args: kc('no-current-context'),
    code: 3,
    first: /^error: kubeconfig \S+ has no current context \(known: ml-prod-use1, /,
    fix: /--context ml-prod-use1$/,
  },
  {
    input: 'a current-context that is not in the file',
    args: kc('current-context-missing'),
    code: 3,
    first:
      /^error: current-context "ml-gone-use1" of \S+ is not one of its contexts \(known: ml-prod-use1, /,
    fix: /^try: kubectl hyperpod status --kubeconfig \S+ --context ml-\S+$/,
  },
  {
    input: 'a kubeconfig with no EKS cluster (minikube)',
    args: kc('not-eks'),
    code: 3,
    first: /^error: context "minikube" in \S+ does not point at an EKS cluster$/,
  },
  {
    input: '-A on a kubeconfig with no EKS cluster',
    args: kc('not-eks', '-A'),
    code: 3,
    first: /^error: no context in \S+ points at an EKS cluster$/,
  },
  {
    input: 'KUBECONFIG listing two missing files',
    args: at('status'),
    env: withEnv((c) => ({ KUBECONFIG: `${file('gone-1')(c)}:${file('gone-2')(c)}` })),
    code: 3,
    first: /^error: kubeconfig \S+gone-1:\S+gone-2 does not exist$/,
  },
  {
    input: 'no kubeconfig at all',
    args: at('status'),
    env: withEnv((c) => ({ HOME: c.files.dir, KUBECONFIG: undefined })),
    code: 3,
    first: /^error: kubeconfig \S+\.kube\/config does not exist$/,
    fix: /^try: aws eks update-kubeconfig --name <cluster> --region <region>$/,
  },
];

const f =
  (name: string, ...args: string[]) =>
  (c: Ctx) => ['status', '-f', file(name)(c), ...args];
const fleetFiles: BadInput[] = [
  {
    input: 'a fleet file that does not exist',
    args: f('fleet-nope.yaml'),
    code: 3,
    first: /^error: bad fleet file: \S+fleet-nope\.yaml: no such file$/,
  },
  {
    input: 'a fleet file that is a directory',
    args: f('a-directory'),
    code: 3,
    first: /^error: bad fleet file: \S+a-directory: is a directory, not a fleet file$/,
  },
  {
    input: 'clusters: as a map',
    args: f('fleet-clusters-map.yaml'),
    code: 3,
    first: /^error: bad fleet file: \S+: clusters: must be a list$/,
  },
  {
    input: 'clusters: as a string',
    args: f('fleet-clusters-string.yaml'),
    code: 3,
    first: /^error: bad fleet file: \S+: clusters: must be a list$/,
  },
  {
    input: 'a cluster entry without region',
    args: f('fleet-no-region.yaml'),
    code: 3,
    first: /^error: bad fleet file: \S+: clusters\[0\]: missing region$/,
  },
  {
    input: 'a fleet file region that does not exist',
    args: f('fleet-bad-region.yaml'),
    code: 3,
    first: /^error: bad fleet file: \S+: clusters\[0\]\.region: us-west-9 is not an AWS region$/,
  },
  {
    input: 'an unquoted account id',
    args: f('fleet-account-number.yaml'),
    code: 3,
    first:
      /^error: bad fleet file: \S+: clusters\[0\]\.accountId: must be a string: quote the account id/,
  },
  {
    input: 'an unknown key',
    args: f('fleet-unknown-key.yaml'),
    code: 3,
    first: /^error: bad fleet file: \S+: clusters\[0\]: unknown key zone$/,
  },
  {
    input: 'a role that is not an ARN',
    args: f('fleet-bad-role.yaml'),
    code: 3,
    first: /^error: bad fleet file: \S+: clusters\[0\]\.roleArn: must be an IAM role ARN/,
  },
  {
    input: 'a role in another account than the cluster',
    args: f('fleet-role-account.yaml'),
    code: 3,
    first:
      /^error: bad fleet file: \S+: clusters\[0\]\.roleArn: role is in account 111111111111, the cluster in 222222222222$/,
  },
  {
    input: 'an empty fleet file',
    args: f('fleet-empty.yaml'),
    code: 3,
    first: /^error: fleet file \S+ names no clusters$/,
  },
  {
    input: 'discover with no regions',
    args: f('fleet-discover-no-regions.yaml'),
    code: 3,
    first: /^error: bad fleet file: \S+: discover\[0\]\.regions: must NOT have fewer than 1 items$/,
  },
  {
    input: 'a fleet file that is not YAML',
    args: f('fleet-not-yaml.yaml'),
    code: 3,
    first: /^error: bad fleet file: \S+fleet-not-yaml\.yaml: /,
  },
  {
    input: 'a fleet file that is a list',
    args: f('fleet-top-list.yaml'),
    code: 3,
    first: /^error: bad fleet file: \S+: must be a mapping$/,
  },
  {
    input: 'an add-on declared without configurationValues',
    args: f('fleet-bad-addon.yaml'),
    code: 3,
    first:
      /^error: bad fleet file: \S+: clusters\[0\]\.addons\.coredns: missing configurationValues/,
  },
  {
    input: 'a --cluster the fleet file does not name',
    args: f('fleet.yaml', '--cluster', 'ml-stageing-usw2'),
    code: 3,
    first:
      /^error: cluster "ml-stageing-usw2" not found in fleet file \S+ \(known: ml-staging-usw2\)$/,
    fix: /--cluster ml-staging-usw2$/,
  },
  {
    input: 'a cluster read from another account than the fleet file says',
    args: f('fleet-wrong-account.yaml'),
    code: 3,
    first:
      /^error: cluster ml-staging-usw2: check account failed: cluster ml-staging-usw2 was expected in account 111111111111 but was read from account 222222222222/,
    fix: /^try: aws sts get-caller-identity/,
  },
];

const credentials: BadInput[] = [
  {
    input: 'an AWS profile that does not exist',
    args: at('status', '--context', R, '--profile', 'nope'),
    code: 3,
    first: /^error: AWS profile "nope" is not in \S+ or \S+ \(known: prod, dev\)$/,
    fix: /^try: aws configure --profile nope$/,
  },
  {
    input: 'a misspelt AWS profile',
    args: at('status', '--context', R, '--profile', 'prdo'),
    code: 3,
    first: /^error: AWS profile "prdo" is not in /,
    fix: /^try: kubectl hyperpod status --context ml-research-usw2 --profile prod$/,
  },
  {
    input: '--profile when no profile is configured',
    args: at('status', '--context', R, '--profile', 'prod'),
    env: withEnv((c) => ({
      AWS_CONFIG_FILE: c.files.noProfiles.config,
      AWS_SHARED_CREDENTIALS_FILE: c.files.noProfiles.credentials,
    })),
    code: 3,
    first: /^error: AWS profile "prod" is not in .* \(they define no profiles\)$/,
  },
  {
    input: 'a profile with the wrong secret',
    args: at('status', '--context', 'ml-prod-use1', '--profile', 'wrong'),
    env: withEnv((c) => ({ AWS_SHARED_CREDENTIALS_FILE: c.files.credentialsWithWrong })),
    code: 4,
    first: /^error: cluster ml-prod-use1: describe cluster failed: /,
    fix: /^try: aws sso login --profile wrong/,
  },
  {
    input: 'access keys the account does not know',
    args: at('status', '--cluster', 'ml-prod-use1', '--region', 'us-east-1'),
    env: withEnv(() => ({
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      HOME: '/nonexistent',
      KUBECONFIG: '/nonexistent/config',
    })),
    code: 4,
    first: /^error: cluster ml-prod-use1: describe cluster failed: /,
  },
  {
    input: 'no credentials at all',
    args: at('status', '--cluster', 'ml-prod-use1', '--region', 'us-east-1'),
    env: withEnv((c) => ({
      AWS_CONFIG_FILE: c.files.noProfiles.config,
      AWS_SHARED_CREDENTIALS_FILE: c.files.noProfiles.credentials,
      KUBECONFIG: '/nonexistent/config',
    })),
    code: 4,
    first: /^error: cluster ml-prod-use1: describe cluster failed: Could not load credentials/,
    fix: /^try: aws sso login/,
  },
];

const unreachable: BadInput[] = [
  {
    input: 'an API server that does not answer (closed port)',
    args: (c) => ['status', '--kubeconfig', file('closed-port')(c), '--context', 'ml-prod-use1'],
    code: 4,
    first: /^error: cluster ml-prod-use1: .* failed: /,
    fix: /^try: kubectl --context ml-prod-use1 get --raw \/version/,
  },
  {
    input: 'an API server address that is not Kubernetes',
    args: (c) => [
      'status',
      '--kubeconfig',
      file('not-kubernetes')(c),
      '--context',
      'ml-prod-use1',
      '--timeout',
      '5s',
    ],
    code: 4,
    first: /^error: cluster ml-prod-use1: .* failed: /,
  },
  {
    input: 'an AWS endpoint that does not answer',
    args: at('status', '--context', R),
    env: withEnv(() => ({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' })),
    code: 4,
    first: /^error: cluster ml-research-usw2: .* failed: /,
  },
  {
    input: 'a timeout too short for any answer',
    args: at('status', '--context', R, '--timeout', '1ms'),
    code: 4,
    first: /^error: cluster ml-research-usw2: .*(no answer within 1 ms|failed)/,
  },
  {
    input: 'drift on an unreachable API server',
    args: (c) => ['drift', '--kubeconfig', file('closed-port')(c), '--context', 'ml-prod-use1'],
    code: 4,
    first: /^error: cluster ml-prod-use1: .* failed: /,
  },
  {
    input: 'addons versions with an AWS endpoint that does not answer',
    args: at('addons', 'versions', 'coredns', '--context', R),
    env: withEnv(() => ({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' })),
    code: 4,
    first: /^error: /,
  },
];

export const BAD_INPUTS: readonly BadInput[] = [
  ...flags,
  ...durations,
  ...names,
  ...kubeconfigs,
  ...fleetFiles,
  ...credentials,
  ...unreachable,
];
