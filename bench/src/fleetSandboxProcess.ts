/**
 * The generated bench fleet (fleet.ts) served by a sandbox in a process of its own
 * (childSandbox.ts): the scan it answers runs in the benchmark's process, so the two do not share
 * one core, as a real scan does not share AWS's. Its calls are counted and its rate limit changed
 * through the sandbox's control API.
 *
 *   node bench/dist/fleetSandboxProcess.js '{"clusters":200,"addons":12,"accounts":4,...}'
 */
import { ControlServer, Sandbox } from '@hyperpod/sandbox';
import { fleetAddons, fleetScenario, type FleetCluster } from './fleet';
import { runChild, serveUntilStdinEnds, startChildSandbox } from './childSandbox';

type AwsCallStats = ReturnType<Sandbox['awsCallStats']>;

export interface FleetSandboxOptions {
  clusters: number;
  addons: number;
  accounts: number;
  latencyMs: number;
  rateLimitPerAccount: number;
  rateLimitScope: 'account' | 'account-region';
}

interface FleetSandboxInfo {
  awsEndpoint: string;
  controlEndpoint: string;
  controlToken: string;
  addons: string[];
  fleet: FleetCluster[];
  credentials: Record<string, { accessKeyId: string; secretAccessKey: string }>;
  startedMs: number;
}

export interface FleetSandbox extends FleetSandboxInfo {
  /** Calls the sandbox's control API (`PUT /faults`, `GET|DELETE /stats`, ...). */
  control<T>(method: string, path: string, body?: unknown): Promise<T>;
  awsCallStats(): Promise<AwsCallStats>;
  resetAwsCallStats(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the fleet's sandbox process and waits until it serves. */
export async function startFleetSandbox(options: FleetSandboxOptions): Promise<FleetSandbox> {
  const info = await startChildSandbox<FleetSandboxInfo>(__filename, [JSON.stringify(options)]);
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${info.controlEndpoint}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${info.controlToken}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok)
      throw new Error(`control API ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    ...info,
    control,
    awsCallStats: () => control<AwsCallStats>('GET', '/stats'),
    resetAwsCallStats: async () => {
      await control('DELETE', '/stats');
    },
  };
}

runChild(module, 'fleet sandbox', async () => {
  const o = JSON.parse(process.argv[2] ?? '{}') as FleetSandboxOptions;
  const t0 = performance.now();
  const addons = fleetAddons(o.addons);
  const fleet: FleetCluster[] = [];
  const sb = await Sandbox.start({
    scenario: fleetScenario(o, addons, fleet),
    faults: {
      latencyMs: o.latencyMs,
      rateLimitPerAccount: o.rateLimitPerAccount,
      rateLimitScope: o.rateLimitScope,
    },
  });
  const controlToken = 'bench';
  const control = new ControlServer(sb, controlToken);
  const credentials: FleetSandboxInfo['credentials'] = {};
  for (const a of sb.accounts)
    credentials[a.accountId] = { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey };
  const info: FleetSandboxInfo = {
    awsEndpoint: sb.awsEndpoint,
    controlEndpoint: await control.listen(),
    controlToken,
    addons,
    fleet,
    credentials,
    startedMs: performance.now() - t0,
  };
  await serveUntilStdinEnds(info, async () => {
    await control.close();
    await sb.stop();
  });
});
