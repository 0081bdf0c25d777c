/**
 * The floor for `kubectl hyperpod status --context CONTEXT -o json` (issue 18): the least a
 * program does to give the same answer. No AWS SDK, no oclif, no @kubernetes/client-node: the
 * same AWS and Kubernetes calls `status` makes for one cluster, on Node's own http, http2 and
 * crypto, and the core's pure functions (observeCluster, buildClusterReport) to turn the answers
 * into the same report.
 *
 * - the kubeconfig (KUBECONFIG or ~/.kube/config, one file) parsed by js-yaml, as client-node does;
 *   the context's cluster named by its EKS ARN, its user a static bearer token;
 * - EKS over SigV4 (signed here with node:crypto), credentials from AWS_ACCESS_KEY_ID /
 *   AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN], endpoint AWS_ENDPOINT_URL or EKS's own:
 *   DescribeCluster, ListAddons, DescribeAddon per add-on, DescribeAddonVersions per add-on
 *   (installed or found in Helm), as observeCluster asks for them;
 * - the API server over HTTP/2 and TLS with the kubeconfig's CA: CSI drivers and CRDs (metadata
 *   only), Deployments, DaemonSets, Helm's release Secrets.
 *
 * bench/src/cliStart.ts bundles this file with esbuild (only the core functions it reaches) and
 * times it against the CLI. Prints `[report]` as `status -o json` does; `scannedAt` and
 * `durationMs` differ run to run.
 *
 *   node statusFloor.cjs --context CONTEXT
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type {
  AddonCatalogEntry,
  ClusterTarget,
  EksAddon,
  EksCluster,
  EksGateway,
  GatewayErrorKind,
  KubeGateway,
  KubeListOptions,
  KubeObject,
} from '@hyperpod/core';
import {
  CachingAddonCatalog,
  GatewayError,
  accountMismatch,
  buildClusterReport,
  observeCluster,
} from '@hyperpod/core';
import { load as parseYaml } from 'js-yaml';

interface Kubeconfig {
  clusters?: {
    name: string;
    cluster: { server: string; 'certificate-authority-data'?: string };
  }[];
  users?: { name: string; user: { token?: string } }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  'current-context'?: string;
}

const EKS_ARN = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):(\d{12}):cluster\/([\w-]+)$/;

function kindOf(status: number): GatewayErrorKind {
  if (status === 404) return 'NotFound';
  if (status === 401 || status === 403) return 'AccessDenied';
  if (status === 429) return 'Throttled';
  return status >= 500 ? 'Unavailable' : 'Unknown';
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string): Buffer =>
  createHmac('sha256', key).update(s).digest();
/** RFC 3986, as SigV4 wants it. */
const uriEncode = (s: string): string =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** EksGateway on SigV4-signed GETs (the calls `status` makes; the rest are not needed here). */
class FloorEks implements Pick<
  EksGateway,
  'region' | 'describeCluster' | 'listAddons' | 'describeAddon' | 'describeAddonVersions'
> {
  private readonly endpoint: URL;
  private readonly agent: http.Agent;

  constructor(readonly region: string) {
    this.endpoint = new URL(process.env.AWS_ENDPOINT_URL ?? `https://eks.${region}.amazonaws.com`);
    const transport = this.endpoint.protocol === 'https:' ? https : http;
    this.agent = new transport.Agent({ keepAlive: true });
  }

  close(): void {
    this.agent.destroy();
  }

  private get<T>(operation: string, path: string, query: Record<string, string> = {}): Promise<T> {
    const accessKey = process.env.AWS_ACCESS_KEY_ID ?? '';
    const secret = process.env.AWS_SECRET_ACCESS_KEY ?? '';
    const token = process.env.AWS_SESSION_TOKEN;
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const day = amzDate.slice(0, 8);
    const qs = Object.keys(query)
      .sort()
      .map((k) => `${uriEncode(k)}=${uriEncode(query[k]!)}`)
      .join('&');
    const headers: Record<string, string> = {
      host: this.endpoint.host,
      'x-amz-content-sha256': sha256(''),
      'x-amz-date': amzDate,
      ...(token ? { 'x-amz-security-token': token } : {}),
    };
    const names = Object.keys(headers).sort();
    const canonical = [
      'GET',
      path.split('/').map(uriEncode).join('/'),
      qs,
      ...names.map((n) => `${n}:${headers[n]}`),
      '',
      names.join(';'),
      headers['x-amz-content-sha256'],
    ].join('\n');
    const scope = `${day}/${this.region}/eks/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
    let key = hmac(`AWS4${secret}`, day);
    for (const part of [this.region, 'eks', 'aws4_request']) key = hmac(key, part);
    const signature = createHmac('sha256', key).update(toSign).digest('hex');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
    const transport = this.endpoint.protocol === 'https:' ? https : http;
    return new Promise<T>((resolve, reject) => {
      const req = transport.request(
        new URL(`${path}${qs ? `?${qs}` : ''}`, this.endpoint),
        { headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
              string,
              unknown
            >;
            const status = res.statusCode ?? 0;
            if (status < 300) return resolve(body as T);
            const code = String(res.headers['x-amzn-errortype'] ?? '').split(':')[0];
            const message = String(body.message ?? body.Message ?? `HTTP ${status}`);
            reject(new GatewayError(kindOf(status), message, 'eks', operation, code, status));
          });
        },
      );
      req.on('error', (e) => reject(new GatewayError('Unavailable', e.message, 'eks', operation)));
      req.end();
    });
  }

  async describeCluster(name: string): Promise<EksCluster> {
    const { cluster: c } = await this.get<{ cluster: Record<string, never> }>(
      'DescribeCluster',
      `/clusters/${name}`,
    );
    const arn: string = c.arn ?? '';
    const m = EKS_ARN.exec(arn);
    const identity = c.identity as { oidc?: { issuer?: string } } | undefined;
    return {
      name: c.name ?? '',
      arn,
      accountId: m?.[2] ?? '',
      region: m?.[1] ?? this.region,
      version: c.version ?? '',
      status: c.status ?? 'UNKNOWN',
      ...(c.endpoint ? { endpoint: c.endpoint } : {}),
      ...(identity?.oidc?.issuer ? { oidcIssuer: identity.oidc.issuer } : {}),
      ...(c.platformVersion ? { platformVersion: c.platformVersion } : {}),
      ...(c.createdAt ? { createdAt: isoDate(c.createdAt) } : {}),
      tags: { ...(c.tags ?? {}) },
    };
  }

  async listAddons(clusterName: string): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.get<{ addons?: string[]; nextToken?: string }>(
        'ListAddons',
        `/clusters/${clusterName}/addons`,
        { maxResults: '100', ...(nextToken ? { nextToken } : {}) },
      );
      names.push(...(out.addons ?? []));
      nextToken = out.nextToken ?? undefined;
    } while (nextToken);
    return names;
  }

  async describeAddon(clusterName: string, addonName: string): Promise<EksAddon | undefined> {
    let out: { addon?: Record<string, never> };
    try {
      out = await this.get('DescribeAddon', `/clusters/${clusterName}/addons/${addonName}`);
    } catch (e) {
      if (
        e instanceof GatewayError &&
        e.kind === 'NotFound' &&
        !/no cluster found/i.test(e.message)
      )
        return undefined;
      throw e;
    }
    const a = out.addon;
    if (!a) return undefined;
    const health = a.health as
      { issues?: { code?: string; message?: string; resourceIds?: string[] }[] } | undefined;
    return {
      clusterName: a.clusterName ?? clusterName,
      addonName: a.addonName ?? '',
      addonVersion: a.addonVersion ?? '',
      status: a.status ?? 'UNKNOWN',
      issues: (health?.issues ?? []).map((i) => ({
        code: i.code ?? 'Unknown',
        ...(i.message !== undefined ? { message: i.message } : {}),
        ...(i.resourceIds?.length ? { resourceIds: [...i.resourceIds] } : {}),
      })),
      ...(a.addonArn ? { arn: a.addonArn } : {}),
      ...(a.configurationValues !== undefined
        ? { configurationValues: a.configurationValues }
        : {}),
      ...(a.serviceAccountRoleArn ? { serviceAccountRoleArn: a.serviceAccountRoleArn } : {}),
      ...(a.createdAt ? { createdAt: isoDate(a.createdAt) } : {}),
      ...(a.modifiedAt ? { modifiedAt: isoDate(a.modifiedAt) } : {}),
    };
  }

  async describeAddonVersions(query: {
    addonName?: string;
    kubernetesVersion?: string;
  }): Promise<AddonCatalogEntry[]> {
    type Info = {
      addonName?: string;
      addonVersions?: {
        addonVersion?: string;
        compatibilities?: { clusterVersion?: string; defaultVersion?: boolean }[];
      }[];
    };
    const entries: AddonCatalogEntry[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.get<{ addons?: Info[]; nextToken?: string }>(
        'DescribeAddonVersions',
        '/addons/supported-versions',
        {
          maxResults: '100',
          ...(query.addonName ? { addonName: query.addonName } : {}),
          ...(query.kubernetesVersion ? { kubernetesVersion: query.kubernetesVersion } : {}),
          ...(nextToken ? { nextToken } : {}),
        },
      );
      for (const a of out.addons ?? [])
        entries.push({
          addonName: a.addonName ?? '',
          versions: (a.addonVersions ?? []).map((v) => ({
            addonVersion: v.addonVersion ?? '',
            compatibilities: (v.compatibilities ?? []).map((c) => ({
              clusterVersion: c.clusterVersion ?? '',
              defaultVersion: c.defaultVersion ?? false,
            })),
          })),
        });
      nextToken = out.nextToken ?? undefined;
    } while (nextToken);
    return entries;
  }
}

/** EKS's JSON dates are epoch seconds; the SDK gives Dates, the gateway ISO strings. */
function isoDate(v: unknown): string | undefined {
  const d = new Date(typeof v === 'number' ? v * 1000 : String(v));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Where each kind `status` lists is served (what the CLI's gateway knows without discovery). */
const PLURALS: Record<string, string> = {
  CSIDriver: 'csidrivers',
  CustomResourceDefinition: 'customresourcedefinitions',
  Deployment: 'deployments',
  DaemonSet: 'daemonsets',
  Secret: 'secrets',
};
const METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** KubeGateway's `list` on one HTTP/2 connection to the API server. */
class FloorKube implements Pick<KubeGateway, 'name' | 'list'> {
  private session?: http2.ClientHttp2Session;

  constructor(
    readonly name: string,
    private readonly server: string,
    private readonly ca: string | undefined,
    private readonly token: string | undefined,
  ) {}

  close(): void {
    this.session?.close();
  }

  async list(apiVersion: string, kind: string, opts: KubeListOptions = {}): Promise<KubeObject[]> {
    const operation = `list ${kind.toLowerCase()}`;
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const items: KubeObject[] = [];
    let cont: string | undefined;
    do {
      const q = new URLSearchParams({ limit: '500' });
      if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
      if (cont) q.set('continue', cont);
      const body = await this.get(
        `${base}/${PLURALS[kind]}?${q}`,
        opts.metadataOnly ? METADATA_LIST_ACCEPT : 'application/json',
        operation,
      );
      for (const item of (body.items ?? []) as KubeObject[])
        items.push(
          opts.metadataOnly
            ? { apiVersion, kind, metadata: item.metadata }
            : { ...item, apiVersion: item.apiVersion ?? apiVersion, kind: item.kind ?? kind },
        );
      cont = (body.metadata as { continue?: string } | undefined)?.continue || undefined;
    } while (cont);
    return items;
  }

  private get(path: string, accept: string, operation: string): Promise<Record<string, unknown>> {
    this.session ??= http2.connect(this.server, { ...(this.ca ? { ca: this.ca } : {}) });
    const req = this.session.request({
      ':method': 'GET',
      ':path': path,
      accept,
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
    });
    return new Promise((resolve, reject) => {
      let status = 0;
      const chunks: Buffer[] = [];
      req.on('response', (h) => (status = Number(h[':status'])));
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
          string,
          unknown
        >;
        if (status < 300) return resolve(body);
        const message = String(body.message ?? `HTTP ${status}`);
        reject(
          new GatewayError(kindOf(status), message, 'kubernetes', operation, undefined, status),
        );
      });
      req.on('error', (e) =>
        reject(new GatewayError('Unavailable', e.message, 'kubernetes', operation)),
      );
    });
  }
}

async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf('--context');
  const file = process.env.KUBECONFIG?.split(':')[0] || join(homedir(), '.kube', 'config');
  const kc = parseYaml(readFileSync(file, 'utf8')) as Kubeconfig;
  const contextName = at >= 0 ? argv[at + 1]! : kc['current-context']!;
  const ctx = kc.contexts?.find((c) => c.name === contextName)?.context;
  const m = ctx && EKS_ARN.exec(ctx.cluster);
  if (!ctx || !m) throw new Error(`context ${contextName} does not name an EKS cluster by ARN`);
  const cluster = kc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  const user = kc.users?.find((u) => u.name === ctx.user)?.user;
  if (!cluster) throw new Error(`context ${contextName}: no cluster ${ctx.cluster}`);
  const target: ClusterTarget = {
    name: m[3]!,
    arn: ctx.cluster,
    accountId: m[2]!,
    region: m[1]!,
    context: contextName,
  };
  const caData = cluster['certificate-authority-data'];
  const kube = new FloorKube(
    contextName,
    cluster.server,
    caData ? Buffer.from(caData, 'base64').toString('utf8') : undefined,
    user?.token,
  );
  const eks = new FloorEks(target.region!);
  const obs = await observeCluster(target, {
    eks: eks as unknown as EksGateway,
    kube: kube as unknown as KubeGateway,
    catalog: new CachingAddonCatalog(),
  });
  const report = buildClusterReport(obs);
  const mismatch = accountMismatch(target.accountId, report);
  const out = mismatch
    ? { ...report, health: 'Unknown', errors: [...report.errors, mismatch] }
    : report;
  process.stdout.write(JSON.stringify([out], undefined, 2) + '\n');
  kube.close();
  eks.close();
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`status floor: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
