/**
 * The sandbox's own control API, for changing knobs of a running sandbox from another process
 * (fault injection, timing, snapshots, IAM enforcement). Loopback only, bearer token, JSON in and
 * out.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../Sandbox';
import type { FaultPoint, FaultSettings } from '../faults/Faults';
import type { SandboxSnapshot } from '../snapshot/diffSnapshots';
import { applyAuthorization, type ScenarioAuthorization } from '../scenarios/authorization';

const MAX_BODY = 64 * 1024 * 1024;

export class ControlServer {
  private readonly server: http.Server;
  private url = '';

  constructor(
    private readonly sandbox: Sandbox,
    private readonly token: string,
  ) {
    this.server = http.createServer((req, res) => {
      this.serve(req, res).catch((e: unknown) => send(res, 500, { error: (e as Error).message }));
    });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  get endpoint(): string {
    return this.url;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return send(res, 401, { error: 'missing or wrong bearer token' });
    const route = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (e) {
      return send(res, 400, { error: `request body is not valid JSON: ${(e as Error).message}` });
    }
    switch (route) {
      case 'GET /status':
        return send(res, 200, {
          scenario: this.sandbox.scenario,
          awsEndpoint: this.sandbox.awsEndpoint,
          accounts: this.sandbox.accounts.map(({ secretAccessKey: _s, ...a }) => a),
          clusters: this.sandbox.clusters.map(({ token: _t, ...c }) => c),
        });
      case 'GET /faults': {
        const { random: _r, ...rest } = this.sandbox.faults.current;
        return send(res, 200, rest);
      }
      case 'PUT /faults': {
        const err = validateFaults(body);
        if (err) return send(res, 400, { error: err });
        try {
          this.sandbox.faults.set(body as FaultSettings);
        } catch (e) {
          return send(res, 400, { error: (e as Error).message });
        }
        const { random: _r, ...rest } = this.sandbox.faults.current;
        return send(res, 200, rest);
      }
      case 'PUT /timing': {
        const ms = (body as { addonTransitionMs?: unknown } | undefined)?.addonTransitionMs;
        if (typeof ms !== 'number' || !(ms >= 0))
          return send(res, 400, { error: 'addonTransitionMs must be a number >= 0' });
        this.sandbox.timing.addonTransitionMs = ms;
        return send(res, 200, this.sandbox.timing);
      }
      case 'GET /memory': {
        // With --expose-gc, collect first so the figure is live heap, not garbage.
        (globalThis as { gc?: () => void }).gc?.();
        return send(res, 200, process.memoryUsage());
      }
      case 'GET /authorization':
        return send(res, 200, this.authorizationState());
      case 'PUT /authorization': {
        const err = validateAuthorization(body);
        if (err) return send(res, 400, { error: err });
        try {
          applyAuthorization(this.sandbox, body as ScenarioAuthorization);
        } catch (e) {
          return send(res, 400, { error: (e as Error).message });
        }
        return send(res, 200, this.authorizationState());
      }
      case 'GET /stats':
        return send(res, 200, this.sandbox.awsCallStats());
      case 'DELETE /stats':
        // Counts from zero again (a benchmark measuring one run in a sandbox of another process).
        this.sandbox.resetAwsCallStats();
        return send(res, 200, this.sandbox.awsCallStats());
      case 'POST /snapshot':
        return send(res, 200, this.sandbox.snapshot());
      case 'POST /diff': {
        const before = (body as { before?: SandboxSnapshot } | undefined)?.before;
        if (!before || typeof before !== 'object' || !before.aws || !before.kube) {
          return send(res, 400, {
            error: 'body must be {"before": <snapshot from POST /snapshot>}',
          });
        }
        return send(res, 200, { differences: this.sandbox.diff(before) });
      }
      default:
        return send(res, 404, {
          error: `no route ${route}; routes: GET /status, GET /memory, GET|PUT /faults, PUT /timing, GET|PUT /authorization, GET|DELETE /stats, POST /snapshot, POST /diff`,
        });
    }
  }

  /** Per account: whether its calls are evaluated. */
  private authorizationState(): {
    accounts: { accountId: string; alias: string; enforce: boolean }[];
  } {
    return {
      accounts: this.sandbox.accounts.map((a) => ({
        accountId: a.accountId,
        alias: a.alias,
        enforce: this.sandbox.authorization.isEnforced(a.accountId),
      })),
    };
  }
}

/** `{ "<alias or id>": { "enforce": bool, "userPolicies"?: { "<name>": <policy document> } } }`. */
function validateAuthorization(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return 'body must be a JSON object: {"<account alias or id>": {"enforce": true|false, "userPolicies": {"<name>": <policy>}}}';
  for (const [account, v] of Object.entries(body)) {
    const s = v as { enforce?: unknown; userPolicies?: unknown } | null;
    if (!s || typeof s !== 'object' || typeof s.enforce !== 'boolean')
      return `account '${account}': "enforce" must be true or false`;
    if (
      s.userPolicies !== undefined &&
      (typeof s.userPolicies !== 'object' ||
        s.userPolicies === null ||
        Array.isArray(s.userPolicies))
    )
      return `account '${account}': "userPolicies" must map policy names to policy documents`;
  }
  return undefined;
}

function validateFaults(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
  const allowed = [
    'latencyMs',
    'rateLimitPerAccount',
    'rateLimitScope',
    'throttleRate',
    'errorRate',
    'faultPoints',
  ];
  for (const [k, v] of Object.entries(body)) {
    if (!allowed.includes(k)) return `unknown setting '${k}'; allowed: ${allowed.join(', ')}`;
    if (k === 'faultPoints') {
      if (!Array.isArray(v)) return 'faultPoints must be an array';
      for (const p of v as FaultPoint[]) {
        if (!p || typeof p.point !== 'string') return 'each fault point needs a string "point"';
        if (p.when !== undefined && p.when !== 'before' && p.when !== 'after')
          return 'fault point "when" must be before or after';
      }
    } else if (k === 'rateLimitScope') {
      if (v !== 'account' && v !== 'account-region')
        return 'rateLimitScope must be account or account-region';
    } else if (typeof v !== 'number' || Number.isNaN(v)) return `${k} must be a number`;
  }
  return undefined;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(data),
  });
  res.end(data);
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => {
      const s = Buffer.concat(chunks).toString('utf8');
      if (!s) return resolve(undefined);
      try {
        resolve(JSON.parse(s));
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}
