#!/usr/bin/env node
/**
 * `hyperpod-sandbox`: starts a local fleet and writes what clients need (kubeconfig, AWS
 * config/credentials, env file, sandbox.json), then serves until interrupted.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { stringify as toYaml } from 'yaml';
import { ControlServer } from './control/ControlServer';
import { Sandbox } from './Sandbox';
import { scenarios } from './scenarios';

function num(name: string, min: number, max = Number.POSITIVE_INFINITY) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}`);
    return n;
  };
}

/** Writes a file readable by its owner only: it holds credentials. */
function writePrivate(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Demo owners by account order, so the portal shows clusters owned by different teams. */
const DEMO_OWNERS = ['group:default/ml-platform', 'group:default/research'];

/**
 * The portal's view of the sandbox: an app-config fragment with every cluster in
 * `hyperpod.fleet` (profile = account alias, as in the AWS files), the kubeconfig and the AWS
 * endpoint. `--config app-config.yaml --config <out>/app-config.sandbox.yaml`.
 */
export function sandboxAppConfig(
  sandbox: Pick<Sandbox, 'accounts' | 'clusters' | 'awsEndpoint'>,
  kubeconfig: string,
): string {
  const aliasOf = new Map(sandbox.accounts.map((a) => [a.accountId, a.alias]));
  const ownerOf = new Map(
    sandbox.accounts.map((a, i) => [a.accountId, DEMO_OWNERS[i] ?? `group:default/${a.alias}`]),
  );
  const config = {
    hyperpod: {
      kubeconfig,
      aws: { endpoint: sandbox.awsEndpoint },
      fleet: {
        clusters: sandbox.clusters.map((c) => ({
          name: c.name,
          region: c.region,
          accountId: c.accountId,
          profile: aliasOf.get(c.accountId),
          context: c.context,
          owner: ownerOf.get(c.accountId),
        })),
      },
    },
  };
  return `# Written by hyperpod-sandbox for this run (ports change every run).\n${toYaml(config)}`;
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('hyperpod-sandbox')
    .description(
      'Run a local EKS / SageMaker HyperPod fleet that speaks the real AWS and Kubernetes APIs.',
    )
    .option(
      '-s, --scenario <name>',
      `scenario to seed (${Object.keys(scenarios).sort().join(', ')})`,
      'demo',
    )
    .option('-o, --out <dir>', 'directory for kubeconfig, AWS config and sandbox.json', '.sandbox')
    .option('--latency <ms>', 'latency added to every call', num('--latency', 0, 60_000), 0)
    .option(
      '--rate-limit <rps>',
      'AWS requests per second allowed per account (0 = unlimited)',
      num('--rate-limit', 0),
      0,
    )
    .option(
      '--throttle-rate <fraction>',
      'fraction of AWS calls answered with a throttling error',
      num('--throttle-rate', 0, 1),
      0,
    )
    .option(
      '--error-rate <fraction>',
      'fraction of AWS calls answered with a 5xx',
      num('--error-rate', 0, 1),
      0,
    )
    .option(
      '--addon-transition <ms>',
      'time add-ons spend CREATING/UPDATING/DELETING',
      num('--addon-transition', 0, 600_000),
      1500,
    )
    .option('--no-verify-signatures', 'accept any SigV4 signature from a known access key')
    .addHelpText(
      'after',
      '\nExamples:\n  hyperpod-sandbox --scenario demo\n  hyperpod-sandbox --latency 40 --rate-limit 10 --out /tmp/fleet\n\nWhile it runs, change knobs through the control API in sandbox.json, e.g.\n  curl -H "Authorization: Bearer $TOKEN" -X PUT -d \'{"throttleRate":0.3}\' $CONTROL/faults',
    );
  program.parse(argv);
  const o = program.opts<{
    scenario: string;
    out: string;
    latency: number;
    rateLimit: number;
    throttleRate: number;
    errorRate: number;
    addonTransition: number;
    verifySignatures: boolean;
  }>();
  if (!scenarios[o.scenario]) {
    program.error(
      `error: unknown scenario '${o.scenario}'; try one of: ${Object.keys(scenarios).sort().join(', ')}`,
    );
  }

  const sandbox = await Sandbox.start({
    scenario: o.scenario,
    faults: {
      latencyMs: o.latency,
      rateLimitPerAccount: o.rateLimit,
      throttleRate: o.throttleRate,
      errorRate: o.errorRate,
    },
    addonTransitionMs: o.addonTransition,
    verifySignatures: o.verifySignatures,
  });
  const controlToken = randomBytes(24).toString('base64url');
  const control = new ControlServer(sandbox, controlToken);
  await control.listen();

  const out = resolve(o.out);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const files = {
    kubeconfig: join(out, 'kubeconfig'),
    kubeconfigEks: join(out, 'kubeconfig-eks'),
    awsConfig: join(out, 'aws-config'),
    awsCredentials: join(out, 'aws-credentials'),
    env: join(out, 'env.sh'),
    json: join(out, 'sandbox.json'),
    appConfig: join(out, 'app-config.sandbox.yaml'),
  };
  const first = sandbox.accounts[0]!;
  // Like `aws eks update-kubeconfig --profile <account>`: each context names its AWS profile, so
  // tools (kubectl hyperpod) know which credentials reach which cluster.
  const tokenScript = join(__dirname, 'token.js');
  writePrivate(
    files.kubeconfig,
    sandbox.kubeconfig(undefined, {
      exec: (c, account) => ({
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: process.execPath,
        args: [tokenScript, '--state', files.json, '--cluster-name', c.name, '--region', c.region],
        env: [{ name: 'AWS_PROFILE', value: account.alias }],
        interactiveMode: 'Never',
      }),
    }),
  );
  // The same contexts as `aws eks update-kubeconfig --profile <account>` writes them: users are
  // `aws eks get-token`, which kubectl-hyperpod and the portal backend mint in-process with the
  // profile's credentials instead of running a plugin per cluster (kubectl and helm run the aws
  // CLI). The portal reads the fleet through this one.
  writePrivate(
    files.kubeconfigEks,
    sandbox.kubeconfig(undefined, {
      exec: (c, account) => ({
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: [
          '--region',
          c.region,
          'eks',
          'get-token',
          '--cluster-name',
          c.name,
          '--output',
          'json',
        ],
        env: [{ name: 'AWS_PROFILE', value: account.alias }],
        interactiveMode: 'Never',
      }),
    }),
  );
  // One profile per account (named by alias); the first account is also the default profile.
  const profiles = [
    { name: 'default', account: first },
    ...sandbox.accounts.map((a) => ({ name: a.alias, account: a })),
  ];
  writePrivate(
    files.awsConfig,
    profiles
      .map(
        (p) =>
          `[${p.name === 'default' ? 'default' : `profile ${p.name}`}]\nregion = us-east-1\nendpoint_url = ${sandbox.awsEndpoint}\n`,
      )
      .join('\n'),
  );
  writePrivate(
    files.awsCredentials,
    profiles
      .map(
        (p) =>
          `[${p.name}]\naws_access_key_id = ${p.account.accessKeyId}\naws_secret_access_key = ${p.account.secretAccessKey}\n`,
      )
      .join('\n'),
  );
  writePrivate(
    files.env,
    [
      `export KUBECONFIG=${files.kubeconfig}`,
      `export AWS_CONFIG_FILE=${files.awsConfig}`,
      `export AWS_SHARED_CREDENTIALS_FILE=${files.awsCredentials}`,
      `export AWS_ENDPOINT_URL=${sandbox.awsEndpoint}`,
      `export AWS_REGION=us-east-1`,
      `export HYPERPOD_SANDBOX_CONTROL=${control.endpoint}`,
      `export HYPERPOD_SANDBOX_TOKEN=${controlToken}`,
      '',
    ].join('\n'),
  );
  writePrivate(
    files.json,
    JSON.stringify(
      {
        scenario: sandbox.scenario,
        awsEndpoint: sandbox.awsEndpoint,
        control: { endpoint: control.endpoint, token: controlToken },
        accounts: sandbox.accounts,
        clusters: sandbox.clusters,
        files,
      },
      undefined,
      2,
    ),
  );
  // Last, and by rename: a starter waiting for this file finds everything else already written.
  writePrivate(`${files.appConfig}.tmp`, sandboxAppConfig(sandbox, files.kubeconfigEks));
  renameSync(`${files.appConfig}.tmp`, files.appConfig);

  const clusters = sandbox.clusters;
  const regions = new Set(clusters.map((c) => c.region));
  const example = clusters[0];
  const log = (s = '') => process.stderr.write(s + '\n');
  log(
    `hyperpod-sandbox: scenario '${sandbox.scenario}': ${clusters.length} clusters in ${sandbox.accounts.length} accounts and ${regions.size} regions`,
  );
  log(
    `  AWS endpoint  ${sandbox.awsEndpoint}   (accounts: ${sandbox.accounts.map((a) => `${a.alias} ${a.accountId}`).join(', ')})`,
  );
  log(`  control API   ${control.endpoint}`);
  log(
    `  files         ${out}/{kubeconfig,kubeconfig-eks,aws-config,aws-credentials,env.sh,sandbox.json,app-config.sandbox.yaml}`,
  );
  log('');
  for (const c of clusters)
    log(
      `  ${c.name.padEnd(22)} ${c.region.padEnd(10)} ${c.accountId}  Kubernetes ${c.kubernetesVersion}  ${c.server}`,
    );
  log('');
  log('Try, in another shell:');
  log(`  source ${files.env}`);
  log('  aws eks list-clusters');
  if (example) {
    log(`  aws eks list-addons --cluster-name ${example.name}`);
    log(`  kubectl --context ${example.context} get deployments -A`);
    log(`  helm --kube-context ${example.context} list -A`);
  }
  log('');
  log('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('hyperpod-sandbox: stopping');
    await control.close();
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

if (require.main === module) {
  main(process.argv).catch((e: unknown) => {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
