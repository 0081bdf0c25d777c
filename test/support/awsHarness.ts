/**
 * Starts the sandbox's AWS front door (AwsServer) with just the services a test needs, on
 * 127.0.0.1 and a free port, with two accounts. Keep it small: tests build their own state through
 * the services' seeding methods.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Accounts,
  type Credential,
  AwsServer,
  type ServiceContext,
  type AwsService,
} from '@hyperpod/sandbox/testing';
import { Faults } from '@hyperpod/sandbox';

export interface HarnessAccount {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  principalArn: string;
}

export interface AwsHarness<T> {
  endpoint: string;
  /** The services built by the factory, for seeding and assertions. */
  services: T;
  ctx: ServiceContext;
  faults: Faults;
  /** accounts[0] is 111111111111, accounts[1] is 222222222222. */
  accounts: HarnessAccount[];
  /** Static SDK credentials of an account (default the first). */
  credentials(index?: number): { accessKeyId: string; secretAccessKey: string };
  /** SDK client options: endpoint, region, credentials. */
  clientConfig(
    region?: string,
    index?: number,
  ): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  stop(): Promise<void>;
}

export const ACCOUNT_IDS = ['111111111111', '222222222222'] as const;

export async function startAwsHarness<T extends Record<string, AwsService>>(
  build: (ctx: ServiceContext) => T,
): Promise<AwsHarness<T>> {
  const registry = new Accounts();
  const accounts: HarnessAccount[] = ACCOUNT_IDS.map((accountId, i) => {
    const cred: Credential = {
      accessKeyId: `AKIATEST${accountId}`,
      secretAccessKey: `test-secret-${i}-${accountId}`,
      accountId,
      principalArn: `arn:aws:iam::${accountId}:user/tester`,
      userId: `AIDATEST${accountId}`,
    };
    registry.add(cred);
    return {
      accountId,
      accessKeyId: cred.accessKeyId,
      secretAccessKey: cred.secretAccessKey,
      principalArn: cred.principalArn,
    };
  });
  const ctx: ServiceContext = {
    accounts: registry,
    timing: { addonTransitionMs: 50 },
    kubeFor: () => undefined,
  };
  const services = build(ctx);
  const faults = new Faults();
  const server = new AwsServer({ accounts: registry, faults, services: Object.values(services) });
  const endpoint = await server.listen(0, '127.0.0.1');
  const credentials = (index = 0) => {
    const a = accounts[index]!;
    return { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey };
  };
  return {
    endpoint,
    services,
    ctx,
    faults,
    accounts,
    credentials,
    clientConfig: (region = 'us-east-1', index = 0) => ({
      endpoint,
      region,
      credentials: credentials(index),
    }),
    stop: () => server.close(),
  };
}

/** Environment for running the aws CLI against the harness as an account, isolated from ~/.aws. */
export function awsCliEnv(h: AwsHarness<unknown>, index = 0): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'aws-cli-'));
  const config = join(dir, 'config');
  const creds = join(dir, 'credentials');
  writeFileSync(config, '');
  writeFileSync(creds, '');
  const a = h.accounts[index]!;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: a.accessKeyId,
    AWS_SECRET_ACCESS_KEY: a.secretAccessKey,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: creds,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

export interface AwsCliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (undefined when empty or not JSON). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- CLI output shapes vary per command
}

/** Runs `aws <args> --endpoint-url <harness> --region <region> --output json`. */
export function runAws(
  h: AwsHarness<unknown>,
  args: string[],
  opts: { region?: string; account?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<AwsCliResult> {
  const env = opts.env ?? awsCliEnv(h, opts.account ?? 0);
  const full = [
    ...args,
    '--endpoint-url',
    h.endpoint,
    '--region',
    opts.region ?? 'us-east-1',
    '--output',
    'json',
  ];
  return new Promise((resolve) => {
    execFile('aws', full, { env, timeout: 30000 }, (err, stdout, stderr) => {
      let json: unknown;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        json = undefined;
      }
      const code = err
        ? typeof (err as { code?: unknown }).code === 'number'
          ? (err as { code: number }).code
          : 1
        : 0;
      resolve({ code, stdout, stderr, json });
    });
  });
}

/** The SDK error a call fails with (name, message, HTTP status); fails the test if it succeeds. */
export async function errorOf(
  p: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

/** A query-protocol request (IAM, STS, ELBv2) sent with no signature at all: status and body. */
export async function unsignedQuery(
  h: AwsHarness<unknown>,
  body: string,
): Promise<{ status: number; text: string }> {
  const res = await fetch(h.endpoint + '/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { status: res.status, text: await res.text() };
}
