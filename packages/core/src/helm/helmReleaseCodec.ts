/**
 * Helm 3 release storage codec (helm.sh/helm/v3 pkg/storage/driver: `encodeRelease`,
 * `decodeRelease`, `newSecretsObject`). A revision is stored as
 * `data.release = base64(k8s)( base64(helm)( gzip(BestCompression)( json(release) ) ) )`;
 * releases written by old Helm versions may hold uncompressed JSON, recognised by the absence of
 * the gzip magic bytes.
 */
import { gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import { Base64Error, decodeBase64, encodeBase64 } from './base64';
import { always, goString, goStruct, goValue, omitEmpty, sliceOrNull } from './goJson';
import {
  GO_ZERO_TIME,
  HELM_RELEASE_SECRET_TYPE,
  helmReleaseSecretName,
  isHelmReleaseStatus,
  type HelmChartDependency,
  type HelmChartFile,
  type HelmRelease,
  type HelmReleaseHook,
  type HelmReleaseSecret,
  type HelmReleaseWire,
  type HelmValues,
  type HelmWireChart,
  type HelmWireDependency,
  type HelmWireFile,
  type HelmWireHook,
  type HelmWireInfo,
  type HelmWireLock,
  type HelmWireMaintainer,
  type HelmWireMetadata,
} from './HelmRelease';

export type HelmReleaseDecodeFailure =
  'MissingData' | 'InvalidBase64' | 'InvalidGzip' | 'InvalidJson' | 'InvalidRelease';

/** A release that cannot be read: data for a report, never a crash. */
export class HelmReleaseDecodeError extends Error {
  constructor(
    readonly reason: HelmReleaseDecodeFailure,
    message: string,
    /** The storage object's name when known, e.g. `sh.helm.release.v1.my-app.v3`. */
    readonly secretName?: string,
  ) {
    super(secretName ? `${secretName}: ${message}` : message);
    this.name = 'HelmReleaseDecodeError';
  }
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];
/** Go's gzip writer leaves the OS byte "unknown"; fflate writes "Unix". */
const GZIP_OS_UNKNOWN = 0xff;

// ---------------------------------------------------------------------------------------------
// Helm-level encoding (the string Helm keeps in Secret/ConfigMap data and in the SQL driver).

/** Decodes Helm's release string (base64 of gzip of JSON, or base64 of plain JSON). */
export function decodeHelmReleaseData(data: string, secretName?: string): HelmReleaseWire {
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(data);
  } catch (error) {
    throw new HelmReleaseDecodeError(
      'InvalidBase64',
      `release data is not base64: ${(error as Base64Error).message}`,
      secretName,
    );
  }
  if (bytes.length > 3 && GZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new HelmReleaseDecodeError(
        'InvalidGzip',
        `release data is not valid gzip: ${(error as Error).message}`,
        secretName,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(strFromU8(bytes));
  } catch (error) {
    throw new HelmReleaseDecodeError(
      'InvalidJson',
      `release data is not JSON: ${(error as Error).message}`,
      secretName,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HelmReleaseDecodeError('InvalidRelease', 'release JSON is not an object', secretName);
  }
  return parsed as HelmReleaseWire;
}

/** Encodes a release as Helm does: Go JSON, gzip at BestCompression, standard base64. */
export function encodeHelmReleaseData(release: HelmReleaseWire): string {
  const gz = gzipSync(strToU8(marshalHelmRelease(release)), { level: 9, mtime: 0 });
  gz[9] = GZIP_OS_UNKNOWN;
  return encodeBase64(gz);
}

/** Encodes a release uncompressed, as Helm 3.0 betas did; kept for the fallback path's tests and fixtures. */
export function encodeHelmReleaseDataUncompressed(release: HelmReleaseWire): string {
  return encodeBase64(strToU8(marshalHelmRelease(release)));
}

// ---------------------------------------------------------------------------------------------
// Kubernetes Secret storage.

/** Reads one revision from its Secret (as returned by the Kubernetes API, `data` base64). */
export function decodeHelmReleaseSecret(secret: {
  metadata: { name?: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string> | null;
}): HelmRelease {
  const secretName = secret.metadata.name;
  const raw = secret.data?.['release'];
  if (typeof raw !== 'string' || raw === '') {
    throw new HelmReleaseDecodeError('MissingData', 'secret has no data.release', secretName);
  }
  let helmData: string;
  try {
    helmData = strFromU8(decodeBase64(raw));
  } catch (error) {
    throw new HelmReleaseDecodeError(
      'InvalidBase64',
      `data.release is not base64: ${(error as Error).message}`,
      secretName,
    );
  }
  const wire = decodeHelmReleaseData(helmData, secretName);
  // As Helm's driver does: the storage object's labels are the release's labels.
  return toHelmRelease(wire, {
    namespace: secret.metadata.namespace,
    labels: secret.metadata.labels ?? {},
    secretName,
  });
}

export interface HelmReleaseSecretOptions {
  /** Unix seconds; Helm sets `createdAt` when it creates a revision's Secret ... */
  createdAt?: number;
  /** ... and replaces the labels with `modifiedAt` on every later update (status changes). */
  modifiedAt?: number;
}

/** The Secret Helm 3 stores for one revision (`newSecretsObject` plus the Create/Update label). */
export function encodeHelmReleaseSecret(
  release: HelmReleaseWire,
  opts: HelmReleaseSecretOptions = {},
): HelmReleaseSecret {
  const name = release.name ?? '';
  const version = release.version ?? 0;
  const labels: Record<string, string> = { ...(release.labels ?? {}) };
  if (opts.createdAt !== undefined) labels['createdAt'] = String(Math.trunc(opts.createdAt));
  if (opts.modifiedAt !== undefined) labels['modifiedAt'] = String(Math.trunc(opts.modifiedAt));
  labels['name'] = name;
  labels['owner'] = 'helm';
  labels['status'] = release.info?.status ?? '';
  labels['version'] = String(version);
  const sorted = Object.fromEntries(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]!]),
  );
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: helmReleaseSecretName(name, version),
      ...(release.namespace ? { namespace: release.namespace } : {}),
      labels: sorted,
    },
    type: HELM_RELEASE_SECRET_TYPE,
    data: { release: encodeBase64(strToU8(encodeHelmReleaseData(release))) },
  };
}

// ---------------------------------------------------------------------------------------------
// Wire ↔ domain.

export function toHelmRelease(
  wire: HelmReleaseWire,
  context: { namespace?: string; labels?: Record<string, string>; secretName?: string } = {},
): HelmRelease {
  const fail = (message: string): never => {
    throw new HelmReleaseDecodeError('InvalidRelease', message, context.secretName);
  };
  const name = wire.name ?? context.labels?.['name'];
  if (typeof name !== 'string' || name === '') fail('release has no name');
  const revision = wire.version ?? Number(context.labels?.['version']);
  if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 1)
    fail('release has no valid version');
  if (wire.info !== undefined && !isObject(wire.info)) fail('release info is not an object');
  if (wire.chart !== undefined && wire.chart !== null && !isObject(wire.chart))
    fail('release chart is not an object');
  if (wire.config !== undefined && wire.config !== null && !isObject(wire.config))
    fail('release config is not an object');
  if (wire.manifest !== undefined && typeof wire.manifest !== 'string')
    fail('release manifest is not a string');
  const info: Partial<HelmWireInfo> = wire.info ?? {};
  const metadata: HelmWireMetadata =
    (isObject(wire.chart?.metadata) ? wire.chart?.metadata : undefined) ?? {};
  const rawStatus = info.status ?? context.labels?.['status'];
  const status = isHelmReleaseStatus(rawStatus) ? rawStatus : 'unknown';
  const lock = wire.chart?.lock;
  return {
    name: name as string,
    namespace: wire.namespace ?? context.namespace ?? '',
    revision: revision as number,
    status,
    chart: {
      name: metadata.name ?? '',
      version: metadata.version ?? '',
      ...(metadata.appVersion !== undefined ? { appVersion: metadata.appVersion } : {}),
      ...(metadata.apiVersion !== undefined ? { apiVersion: metadata.apiVersion } : {}),
      ...(metadata.description !== undefined ? { description: metadata.description } : {}),
      ...(metadata.type !== undefined ? { type: metadata.type } : {}),
      dependencies: (metadata.dependencies ?? []).map((d) =>
        withChartName(fromWireDependency(d), isObject(lock) ? lock.dependencies : null),
      ),
      ...(isObject(lock)
        ? {
            lock: {
              generated: lock.generated,
              digest: lock.digest,
              dependencies: (lock.dependencies ?? []).map(fromWireDependency),
            },
          }
        : {}),
      crdFiles: crdFilesOf(wire.chart?.files),
    },
    hooks: (Array.isArray(wire.hooks) ? wire.hooks : []).filter(isObject).map(fromWireHook),
    values: (wire.config as HelmValues | undefined) ?? {},
    chartValues: (wire.chart?.values as HelmValues | null | undefined) ?? {},
    manifest: wire.manifest ?? '',
    info: {
      firstDeployed: info.first_deployed ?? GO_ZERO_TIME,
      lastDeployed: info.last_deployed ?? GO_ZERO_TIME,
      ...(info.deleted && info.deleted !== GO_ZERO_TIME ? { deleted: info.deleted } : {}),
      description: info.description ?? '',
      status,
      ...(info.notes ? { notes: info.notes } : {}),
    },
    labels: { ...(context.labels ?? wire.labels ?? {}) },
  };
}

function fromWireHook(h: HelmWireHook): HelmReleaseHook {
  const run = isObject(h.last_run) ? h.last_run : { started_at: '', completed_at: '', phase: '' };
  const time = (t: string | undefined) => (t && t !== GO_ZERO_TIME ? { t } : undefined);
  const started = time(run.started_at);
  const completed = time(run.completed_at);
  return {
    name: h.name ?? '',
    kind: h.kind ?? '',
    path: h.path ?? '',
    manifest: h.manifest ?? '',
    events: [...(h.events ?? [])],
    weight: h.weight ?? 0,
    deletePolicies: [...(h.delete_policies ?? [])],
    lastRun: {
      ...(started ? { startedAt: started.t } : {}),
      ...(completed ? { completedAt: completed.t } : {}),
      phase: run.phase ?? '',
    },
  };
}

/** The files Helm's `CRDObjects` installs: `crds/` entries with a manifest extension. */
function crdFilesOf(files: HelmWireFile[] | null | undefined): HelmChartFile[] {
  const out: HelmChartFile[] = [];
  for (const f of Array.isArray(files) ? files : []) {
    if (!isObject(f) || typeof f.name !== 'string' || typeof f.data !== 'string') continue;
    if (!/^crds\/.*\.(ya?ml|json)$/i.test(f.name)) continue;
    try {
      out.push({ name: f.name, text: strFromU8(decodeBase64(f.data)) });
    } catch {
      // Undecodable bytes are no CRD Helm could install either.
    }
  }
  return out;
}

function fromWireDependency(d: HelmWireDependency): HelmChartDependency {
  return {
    name: d.name,
    ...(d.version !== undefined ? { version: d.version } : {}),
    ...(d.repository !== undefined && d.repository !== '' ? { repository: d.repository } : {}),
    ...(d.alias !== undefined ? { alias: d.alias } : {}),
    ...(d.condition !== undefined ? { condition: d.condition } : {}),
    ...(d.tags !== undefined ? { tags: [...d.tags] } : {}),
    ...(d.enabled !== undefined ? { enabled: d.enabled } : {}),
  };
}

/** Helm stores an aliased dependency under its alias; Chart.lock still has the real chart name. */
function withChartName(
  dep: HelmChartDependency,
  locked: HelmWireDependency[] | null | undefined,
): HelmChartDependency {
  if (!dep.alias || dep.name !== dep.alias) return { ...dep, chartName: dep.name };
  const match = (locked ?? []).filter(
    (l) => l.repository === (dep.repository ?? '') && l.version === dep.version,
  );
  return match.length === 1 ? { ...dep, chartName: match[0]!.name } : dep;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Go JSON of release.Release, field by field (pkg/release/release.go, info.go, hook.go;
// pkg/chart/chart.go, metadata.go, dependency.go, file.go).

export function marshalHelmRelease(r: HelmReleaseWire): string {
  return goStruct([
    ['name', omitEmpty.string(r.name)],
    ['info', r.info ? marshalInfo(r.info) : undefined],
    ['chart', r.chart ? marshalChart(r.chart) : undefined],
    ['config', omitEmpty.map(r.config)],
    ['manifest', omitEmpty.string(r.manifest)],
    ['hooks', omitEmpty.slice(r.hooks, marshalHook)],
    ['version', omitEmpty.number(r.version)],
    ['namespace', omitEmpty.string(r.namespace)],
  ]);
}

function marshalInfo(i: HelmWireInfo): string {
  return goStruct([
    ['first_deployed', goString(i.first_deployed ?? GO_ZERO_TIME)],
    ['last_deployed', goString(i.last_deployed ?? GO_ZERO_TIME)],
    ['deleted', goString(i.deleted ?? GO_ZERO_TIME)],
    ['description', omitEmpty.string(i.description)],
    ['status', omitEmpty.string(i.status)],
    ['notes', omitEmpty.string(i.notes)],
    ['resources', omitEmpty.map(i.resources)],
  ]);
}

function marshalChart(c: HelmWireChart): string {
  return goStruct([
    ['metadata', always(c.metadata, marshalMetadata)],
    ['lock', always(c.lock, marshalLock)],
    ['templates', sliceOrNull(c.templates, marshalFile)],
    ['values', always(c.values)],
    ['schema', always(c.schema, goString)],
    ['files', sliceOrNull(c.files, marshalFile)],
  ]);
}

function marshalMetadata(m: HelmWireMetadata): string {
  return goStruct([
    ['name', omitEmpty.string(m.name)],
    ['home', omitEmpty.string(m.home)],
    ['sources', omitEmpty.slice(m.sources)],
    ['version', omitEmpty.string(m.version)],
    ['description', omitEmpty.string(m.description)],
    ['keywords', omitEmpty.slice(m.keywords)],
    ['maintainers', omitEmpty.slice(m.maintainers, marshalMaintainer)],
    ['icon', omitEmpty.string(m.icon)],
    ['apiVersion', omitEmpty.string(m.apiVersion)],
    ['condition', omitEmpty.string(m.condition)],
    ['tags', omitEmpty.string(m.tags)],
    ['appVersion', omitEmpty.string(m.appVersion)],
    ['deprecated', omitEmpty.bool(m.deprecated)],
    ['annotations', omitEmpty.map(m.annotations)],
    ['kubeVersion', omitEmpty.string(m.kubeVersion)],
    ['dependencies', omitEmpty.slice(m.dependencies, marshalDependency)],
    ['type', omitEmpty.string(m.type)],
  ]);
}

function marshalMaintainer(m: HelmWireMaintainer): string {
  return goStruct([
    ['name', omitEmpty.string(m.name)],
    ['email', omitEmpty.string(m.email)],
    ['url', omitEmpty.string(m.url)],
  ]);
}

function marshalDependency(d: HelmWireDependency): string {
  return goStruct([
    ['name', goString(d.name ?? '')],
    ['version', omitEmpty.string(d.version)],
    ['repository', goString(d.repository ?? '')],
    ['condition', omitEmpty.string(d.condition)],
    ['tags', omitEmpty.slice(d.tags)],
    ['enabled', omitEmpty.bool(d.enabled)],
    ['import-values', omitEmpty.slice(d['import-values'])],
    ['alias', omitEmpty.string(d.alias)],
  ]);
}

function marshalLock(l: HelmWireLock): string {
  return goStruct([
    ['generated', goString(l.generated ?? GO_ZERO_TIME)],
    ['digest', goString(l.digest ?? '')],
    ['dependencies', sliceOrNull(l.dependencies, marshalDependency)],
  ]);
}

function marshalFile(f: HelmWireFile): string {
  return goStruct([
    ['name', goString(f.name ?? '')],
    ['data', f.data === undefined || f.data === null ? 'null' : goString(f.data)],
  ]);
}

function marshalHook(h: HelmWireHook): string {
  const lastRun = h.last_run ?? { started_at: '', completed_at: '', phase: '' };
  return goStruct([
    ['name', omitEmpty.string(h.name)],
    ['kind', omitEmpty.string(h.kind)],
    ['path', omitEmpty.string(h.path)],
    ['manifest', omitEmpty.string(h.manifest)],
    ['events', omitEmpty.slice(h.events)],
    [
      'last_run',
      goStruct([
        // time.Time never counts as empty for omitempty, so Go writes the zero time.
        ['started_at', goString(lastRun.started_at || GO_ZERO_TIME)],
        ['completed_at', goString(lastRun.completed_at || GO_ZERO_TIME)],
        ['phase', goString(lastRun.phase ?? '')],
      ]),
    ],
    ['weight', omitEmpty.number(h.weight)],
    ['delete_policies', omitEmpty.slice(h.delete_policies)],
    ['output_log_policies', omitEmpty.slice(h.output_log_policies)],
  ]);
}

/** Re-exported for tests and callers that render values as Helm stores them. */
export { goValue as marshalGoValue };
