/**
 * The demo fleet set up the way a user sets up real clusters: an AWS profile per account in
 * ~/.aws/config and ~/.aws/credentials, and a kubeconfig written by the real
 * `aws eks update-kubeconfig --name X --region R --profile P` (cluster entries named by ARN, an
 * `aws eks get-token` exec user carrying AWS_PROFILE). `kubectl hyperpod status -A` then needs
 * no other configuration: each context says its account, region and profile.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Sandbox } from '@hyperpod/sandbox';
import { cleanEnv } from './runCli';

const run = promisify(execFile);

export interface SandboxFleet {
  dir: string;
  kubeconfig: string;
  /** Environment for the CLI: HOME with the AWS files, AWS_ENDPOINT_URL at the sandbox. */
  env: Record<string, string>;
  profileOf: (accountId: string) => string;
}

export async function sandboxFleet(sb: Sandbox): Promise<SandboxFleet> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hyperpod-cli-fleet-'));
  const aws = path.join(dir, '.aws');
  mkdirSync(aws);
  const profileOf = (accountId: string) =>
    sb.accounts.find((a) => a.accountId === accountId)!.alias;
  writeFileSync(
    path.join(aws, 'config'),
    sb.accounts.map((a) => `[profile ${a.alias}]\nregion = us-east-1\n`).join('\n'),
  );
  writeFileSync(
    path.join(aws, 'credentials'),
    sb.accounts
      .map(
        (a) =>
          `[${a.alias}]\naws_access_key_id = ${a.accessKeyId}\naws_secret_access_key = ${a.secretAccessKey}\n`,
      )
      .join('\n'),
  );
  const kubeconfig = path.join(dir, '.kube', 'config');
  const env = cleanEnv({
    HOME: dir,
    AWS_ENDPOINT_URL: sb.awsEndpoint,
    AWS_CONFIG_FILE: path.join(aws, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(aws, 'credentials'),
  });
  // update-kubeconfig rewrites one file: one cluster at a time.
  for (const c of sb.clusters) {
    await run(
      'aws',
      [
        'eks',
        'update-kubeconfig',
        '--name',
        c.name,
        '--region',
        c.region,
        '--profile',
        profileOf(c.accountId),
        '--alias',
        c.name,
        '--kubeconfig',
        kubeconfig,
      ],
      { env },
    );
  }
  return { dir, kubeconfig, env, profileOf };
}
