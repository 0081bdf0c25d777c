/**
 * meta.k8s.io/v1 Table renderings, which `kubectl get` asks for: the columns kube-apiserver's
 * printers give the common types (Deployment READY / UP-TO-DATE / AVAILABLE …), CRD
 * additionalPrinterColumns, and NAME / AGE for the rest.
 */
import { groupVersion, type PrinterColumn, type ResourceType } from './ResourceTypes';
import type { KubeObject } from './types';
import { AGE, age, col, humanDuration, NAME, type Column, type Row } from './tableColumns';
import { KIND_PRINTERS } from './kindPrinters';

export { humanDuration } from './tableColumns';

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
type AnyRec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function containers(o: KubeObject): AnyRec[] {
  const c = (o as AnyRec).spec?.template?.spec?.containers;
  return Array.isArray(c) ? c : [];
}

function selector(o: KubeObject): string {
  return keyValues((o as AnyRec).spec?.selector?.matchLabels as Record<string, string> | undefined);
}

/** `k=v,k2=v2` as kubectl prints selectors, `<none>` for none. */
function keyValues(m: Record<string, string> | undefined): string {
  return m
    ? Object.entries(m)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : '<none>';
}

/** The wide columns of a Deployment or DaemonSet: its containers, their images, its selector. */
function templateColumns(o: KubeObject): string[] {
  const cs = containers(o);
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(','), selector(o)];
}

const BUILTIN: Record<string, { columns: Column[]; row: Row }> = {
  ...KIND_PRINTERS,
  'apps/Deployment': {
    columns: [
      NAME,
      col('Ready', 'Number of the pod with ready state'),
      col(
        'Up-to-date',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
        0,
        'integer',
      ),
      col(
        'Available',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
        0,
        'integer',
      ),
      AGE,
      col('Containers', 'Names of each container in the template.', 1),
      col('Images', 'Images referenced by each container in the template.', 1),
      col(
        'Selector',
        'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
        1,
      ),
    ],
    row: (o) => {
      const s = (o.status ?? {}) as AnyRec;
      const spec = (o.spec ?? {}) as AnyRec;
      return [
        o.metadata.name,
        `${num(s.readyReplicas)}/${num(spec.replicas)}`,
        num(s.updatedReplicas),
        num(s.availableReplicas),
        age(o),
        ...templateColumns(o),
      ];
    },
  },
  'apps/DaemonSet': {
    columns: [
      NAME,
      col('Desired', '', 0, 'integer'),
      col('Current', '', 0, 'integer'),
      col('Ready', '', 0, 'integer'),
      col('Up-to-date', '', 0, 'integer'),
      col('Available', '', 0, 'integer'),
      col('Node Selector'),
      AGE,
      col('Containers', '', 1),
      col('Images', '', 1),
      col('Selector', '', 1),
    ],
    row: (o) => {
      const s = (o.status ?? {}) as AnyRec;
      const ns = (o as AnyRec).spec?.template?.spec?.nodeSelector as
        Record<string, string> | undefined;
      return [
        o.metadata.name,
        num(s.desiredNumberScheduled),
        num(s.currentNumberScheduled),
        num(s.numberReady),
        num(s.updatedNumberScheduled),
        num(s.numberAvailable),
        keyValues(ns),
        age(o),
        ...templateColumns(o),
      ];
    },
  },
  'apps/ReplicaSet': {
    columns: [
      NAME,
      col('Desired', '', 0, 'integer'),
      col('Current', '', 0, 'integer'),
      col('Ready', '', 0, 'integer'),
      AGE,
    ],
    row: (o) => [
      o.metadata.name,
      num(((o.spec ?? {}) as AnyRec).replicas),
      num(((o.status ?? {}) as AnyRec).replicas),
      num(((o.status ?? {}) as AnyRec).readyReplicas),
      age(o),
    ],
  },
  '/Namespace': {
    columns: [NAME, col('Status'), AGE],
    row: (o) => [o.metadata.name, ((o.status ?? {}) as AnyRec).phase ?? 'Active', age(o)],
  },
  '/ConfigMap': {
    columns: [NAME, col('Data', '', 0, 'integer'), AGE],
    row: (o) => [
      o.metadata.name,
      Object.keys((o.data ?? {}) as object).length +
        Object.keys((o.binaryData ?? {}) as object).length,
      age(o),
    ],
  },
  '/Secret': {
    columns: [NAME, col('Type'), col('Data', '', 0, 'integer'), AGE],
    row: (o) => [
      o.metadata.name,
      o.type ?? 'Opaque',
      Object.keys((o.data ?? {}) as object).length,
      age(o),
    ],
  },
  '/ServiceAccount': {
    columns: [NAME, col('Secrets', '', 0, 'integer'), AGE],
    row: (o) => [o.metadata.name, Array.isArray(o.secrets) ? o.secrets.length : 0, age(o)],
  },
  '/Service': {
    columns: [
      NAME,
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      AGE,
      col('Selector', '', 1),
    ],
    row: (o) => {
      const spec = (o.spec ?? {}) as AnyRec;
      const ports = Array.isArray(spec.ports)
        ? spec.ports.map((p: AnyRec) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',')
        : '<none>';
      return [
        o.metadata.name,
        spec.type ?? 'ClusterIP',
        spec.clusterIP ?? '<none>',
        '<none>',
        ports || '<none>',
        age(o),
        keyValues(spec.selector as Record<string, string> | undefined),
      ];
    },
  },
  '/Pod': {
    columns: [NAME, col('Ready'), col('Status'), col('Restarts', '', 0, 'string'), AGE],
    row: (o) => {
      const s = (o.status ?? {}) as AnyRec;
      const cs = Array.isArray(s.containerStatuses) ? s.containerStatuses : [];
      const total = Array.isArray((o as AnyRec).spec?.containers)
        ? (o as AnyRec).spec.containers.length
        : cs.length;
      return [
        o.metadata.name,
        `${cs.filter((c: AnyRec) => c.ready).length}/${total}`,
        s.phase ?? 'Pending',
        String(cs.reduce((n: number, c: AnyRec) => n + num(c.restartCount), 0)),
        age(o),
      ];
    },
  },
  'apiextensions.k8s.io/CustomResourceDefinition': {
    columns: [NAME, col('Created At', '', 0, 'date')],
    row: (o) => [o.metadata.name, o.metadata.creationTimestamp],
  },
};

/**
 * The JSONPath subset CRD printer columns use: fields, `[n]` indexes and equality filters
 * (`.status.conditions[?(@.type == "Ready")].status`); a filter yields its first match.
 */
function jsonPath(o: unknown, path: string): unknown {
  const steps = path.replace(/^\{/, '').replace(/\}$/, '');
  const token = /\.([^.[\]]+)|\[(\d+)\]|\[\?\(@\.([\w.-]+)\s*==\s*["']([^"']*)["']\)\]/gy;
  let cur: unknown = o;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < steps.length && (m = token.exec(steps))) {
    at = token.lastIndex;
    if (m[1] !== undefined)
      cur =
        typeof cur === 'object' && cur !== null
          ? (cur as Record<string, unknown>)[m[1]]
          : undefined;
    else if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    else
      cur = Array.isArray(cur)
        ? cur.find((x) => String(jsonPath(x, `.${m![3]}`)) === m![4])
        : undefined;
    if (cur === undefined) return undefined;
  }
  return at === steps.length ? cur : undefined;
}

function crdColumns(cols: PrinterColumn[]): { columns: Column[]; row: Row } {
  return {
    columns: [
      NAME,
      ...cols.map((c) =>
        col(
          c.name,
          c.description ?? '',
          c.priority ?? 0,
          c.type === 'date' ? 'string' : c.type,
          c.format ?? '',
        ),
      ),
    ],
    // A CRD's columns are exactly those it declares (its own Age among them).
    row: (o) => [
      o.metadata.name,
      ...cols.map((c) => {
        const v = jsonPath(o, c.jsonPath);
        if (v === undefined) return null;
        if (c.type === 'date' && typeof v === 'string')
          return humanDuration(Date.now() - Date.parse(v));
        return typeof v === 'object' ? JSON.stringify(v) : v;
      }),
    ],
  };
}

/** A Table of `items` (row objects carry PartialObjectMetadata, as with includeObject=Metadata). */
export function toTable(
  rt: ResourceType,
  items: KubeObject[],
  listMeta: Record<string, unknown>,
  includeObject = 'Metadata',
): Record<string, unknown> {
  const printer =
    BUILTIN[`${rt.group}/${rt.kind}`] ??
    (rt.printerColumns
      ? crdColumns(rt.printerColumns)
      : { columns: [NAME, AGE], row: (o: KubeObject) => [o.metadata.name, age(o)] });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: printer.columns,
    rows: items.map((o) => {
      const row: Record<string, unknown> = { cells: printer.row(o) };
      if (includeObject === 'Object') row.object = o;
      else if (includeObject !== 'None')
        row.object = {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: o.metadata,
        };
      return row;
    }),
  };
}

export { groupVersion };
