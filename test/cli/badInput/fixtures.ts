/**
 * The files the bad inputs are made of, written once per run into a temp directory: kubeconfigs
 * and fleet files that are wrong in one way each, and AWS files with a profile whose secret is
 * wrong. The kubeconfigs derive from the one the real `aws eks update-kubeconfig` wrote for the
 * sandbox fleet, so only the defect differs from what a user has.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Sandbox } from '@hyperpod/sandbox';
import { parse, stringify } from 'yaml';
import type { SandboxFleet } from '../support/sandboxFleet';

export interface BadFiles {
  dir: string;
  file: (name: string) => string;
  /** An AWS credentials file with the fleet's profiles plus `wrong` (a real key, a wrong secret). */
  credentialsWithWrong: string;
  /** AWS config and credentials files that define no profile at all. */
  noProfiles: { config: string; credentials: string };
}

interface Kubeconfig {
  'current-context'?: string;
  clusters: { name: string; cluster: { server: string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  users: unknown[];
}

export function writeBadFiles(sb: Sandbox, fleet: SandboxFleet): BadFiles {
  const dir = mkdtempSync(path.join(tmpdir(), 'hyperpod-bad-input-'));
  const file = (name: string) => path.join(dir, name);
  const write = (name: string, text: string) => writeFileSync(file(name), text);
  const real = parse(readFileSync(fleet.kubeconfig, 'utf8')) as Kubeconfig;
  const variant = (name: string, change: (k: Kubeconfig) => unknown) => {
    const k = structuredClone(real);
    const out = change(k) ?? k;
    write(name, typeof out === 'string' ? out : stringify(out));
  };

  mkdirSync(file('a-directory'));
  write('empty', '');
  write('comments-only', '# nothing here yet\n\n');
  write('not-yaml', 'apiVersion: v1\nclusters:\n  - name: a\n   cluster: [oops\n');
  write('a-list', '- apiVersion: v1\n- kind: Config\n');
  write('dangling-alias', 'apiVersion: v1\nclusters: *clusters\n');
  variant('clusters-map', (k) => ({
    ...k,
    clusters: { [k.clusters[0]!.name]: k.clusters[0]!.cluster },
  }));
  variant('context-without-name', (k) => ({
    ...k,
    contexts: k.contexts.map(({ context }) => ({ context })),
  }));
  variant('no-current-context', (k) => {
    delete k['current-context'];
  });
  variant('current-context-missing', (k) => ({ ...k, 'current-context': 'ml-gone-use1' }));
  variant('not-eks', () => ({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'minikube',
    clusters: [{ name: 'minikube', cluster: { server: 'https://192.168.49.2:8443' } }],
    users: [{ name: 'minikube', user: { token: 't' } }],
    contexts: [{ name: 'minikube', context: { cluster: 'minikube', user: 'minikube' } }],
  }));
  const prod = sb.cluster('ml-prod-use1');
  variant('closed-port', (k) => {
    k.clusters.find((c) => c.name === prod.arn)!.cluster.server = 'https://127.0.0.1:1';
  });
  // An API server address that answers, but is no Kubernetes API (the sandbox's AWS endpoint).
  variant('not-kubernetes', (k) => {
    k.clusters.find((c) => c.name === prod.arn)!.cluster.server = sb.awsEndpoint.replace(
      /^http:/,
      'https:',
    );
  });

  const staging = sb.cluster('ml-staging-usw2');
  const fleetFile = (name: string, text: string) => write(name, text);
  fleetFile(
    'fleet-clusters-map.yaml',
    `clusters:\n  ${staging.name}:\n    region: ${staging.region}\n`,
  );
  fleetFile('fleet-clusters-string.yaml', `clusters: ${staging.name}\n`);
  fleetFile('fleet-no-region.yaml', `clusters:\n  - name: ${staging.name}\n`);
  fleetFile(
    'fleet-bad-region.yaml',
    `clusters:\n  - name: ${staging.name}\n    region: us-west-9\n`,
  );
  fleetFile(
    'fleet-account-number.yaml',
    `clusters:\n  - name: ${staging.name}\n    region: ${staging.region}\n    accountId: 222222222222\n`,
  );
  fleetFile(
    'fleet-unknown-key.yaml',
    `clusters:\n  - name: ${staging.name}\n    region: ${staging.region}\n    zone: a\n`,
  );
  fleetFile(
    'fleet-bad-role.yaml',
    `clusters:\n  - name: ${staging.name}\n    region: ${staging.region}\n    roleArn: HyperPodReader\n`,
  );
  fleetFile(
    'fleet-role-account.yaml',
    `clusters:\n  - name: ${staging.name}\n    region: ${staging.region}\n    accountId: "${staging.accountId}"\n    roleArn: arn:aws:iam::111111111111:role/HyperPodReader\n`,
  );
  fleetFile('fleet-empty.yaml', '');
  fleetFile(
    'fleet-discover-no-regions.yaml',
    'discover:\n  - accountId: "111111111111"\n    regions: []\n',
  );
  fleetFile('fleet-not-yaml.yaml', 'clusters:\n  - name: [oops\n');
  fleetFile('fleet-top-list.yaml', `- name: ${staging.name}\n  region: ${staging.region}\n`);
  fleetFile(
    'fleet-bad-addon.yaml',
    `clusters:\n  - name: ${staging.name}\n    region: ${staging.region}\n    addons:\n      coredns: { version: v1 }\n`,
  );
  fleetFile(
    'fleet.yaml',
    `clusters:\n  - name: ${staging.name}\n    accountId: "${staging.accountId}"\n    region: ${staging.region}\n    profile: ${fleet.profileOf(staging.accountId)}\n`,
  );
  fleetFile(
    'fleet-wrong-account.yaml',
    `clusters:\n  - name: ${staging.name}\n    accountId: "111111111111"\n    region: ${staging.region}\n    profile: ${fleet.profileOf(staging.accountId)}\n`,
  );

  const credentials = readFileSync(fleet.env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8');
  const prodKey = sb.account('prod').accessKeyId;
  write(
    'credentials-with-wrong',
    `${credentials}\n[wrong]\naws_access_key_id = ${prodKey}\naws_secret_access_key = not-the-secret\n`,
  );
  write('no-profiles-config', '');
  write('no-profiles-credentials', '');
  return {
    dir,
    file,
    credentialsWithWrong: file('credentials-with-wrong'),
    noProfiles: {
      config: file('no-profiles-config'),
      credentials: file('no-profiles-credentials'),
    },
  };
}
