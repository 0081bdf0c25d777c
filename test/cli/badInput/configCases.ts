/** Configuration errors (exit 3): names, kubeconfigs and fleet files. */
import { R, at, esc, f, file, kc, withEnv, type BadInput } from './BadInput';

export const names: BadInput[] = [
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

export const kubeconfigs: BadInput[] = [
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

export const fleetFiles: BadInput[] = [
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
