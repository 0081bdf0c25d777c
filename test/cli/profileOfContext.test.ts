/**
 * Which AWS profile the CLI reads a kubeconfig context's cluster with: the same one the context's
 * `aws eks get-token` user would sign with, `--profile` before AWS_PROFILE (as the AWS CLI reads
 * its own invocation, and as the in-process token minting reads it).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CommandLine, resolveTargets } from 'kubectl-hyperpod/testing';

const ARN = 'arn:aws:eks:us-west-2:111122223333:cluster/prod';

/** What `aws eks update-kubeconfig --name prod --profile prod` writes, plus a stale AWS_PROFILE. */
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://0123456789ABCDEF0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com
  name: ${ARN}
contexts:
- context:
    cluster: ${ARN}
    user: ${ARN}
  name: prod
current-context: prod
users:
- name: ${ARN}
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [--region, us-west-2, eks, get-token, --cluster-name, prod, --output, json, --profile, prod]
      env:
      - name: AWS_PROFILE
        value: dev
`;

it('reads a context with the --profile of its exec user, over its AWS_PROFILE', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hyperpod-profile-'));
  const kubeconfig = path.join(dir, 'config');
  writeFileSync(kubeconfig, KUBECONFIG);
  const { targets } = await resolveTargets(
    { kubeconfig, clusters: [], allClusters: true },
    new CommandLine('status', ['-A']),
    5000,
  );
  expect(targets.map((t) => [t.name, t.region, t.profile])).toEqual([
    ['prod', 'us-west-2', 'prod'],
  ]);
});
