/** Credentials and clusters that do not answer (exit 4; a profile that does not exist is 3). */
import { R, at, file, withEnv, type BadInput } from './BadInput';

export const credentials: BadInput[] = [
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

export const unreachable: BadInput[] = [
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
