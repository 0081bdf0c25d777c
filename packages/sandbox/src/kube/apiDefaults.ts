/**
 * What kube-apiserver does to a built-in object between decoding it and storing it, so clients
 * read back what they would from a real cluster:
 * - empty maps and lists in optional fields are gone (Go's `omitempty`: `annotations: {}` is not
 *   stored, so `kubectl diff` of an unchanged file finds nothing);
 * - the defaults its defaulting functions set are filled in (a Deployment's strategy,
 *   revisionHistoryLimit and progressDeadlineSeconds, a pod template's restartPolicy, ...).
 * Custom resources get neither: their schemas' defaults are not applied here.
 */
import type { ResourceType } from './ResourceTypes';
import type { KubeObject } from './types';
import { builtinSchema, type Schema } from './openapi/kubeSchemas';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Removes empty maps and lists from the optional fields `schema` describes, in place. */
function dropEmpty(value: Obj, schema: Schema | undefined, deref: (s: Schema) => Schema): void {
  if (!schema) return;
  const s = deref(schema);
  const props = isObj(s.properties) ? (s.properties as Record<string, Schema>) : undefined;
  if (!props) return;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  for (const [key, v] of Object.entries(value)) {
    const ps = props[key] ? deref(props[key]) : undefined;
    if (!ps) continue;
    if (Array.isArray(v)) {
      if (v.length === 0 && !required.has(key)) delete value[key];
      else if (isObj(ps.items))
        for (const item of v) if (isObj(item)) dropEmpty(item, ps.items as Schema, deref);
    } else if (isObj(v)) {
      if (ps.additionalProperties !== undefined && !ps.properties) {
        if (Object.keys(v).length === 0 && !required.has(key)) delete value[key];
      } else dropEmpty(v, ps, deref);
    }
  }
}

function podSpecDefaults(spec: Obj): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const list of ['containers', 'initContainers'] as const) {
    if (!Array.isArray(spec[list])) continue;
    for (const c of spec[list] as unknown[]) {
      if (!isObj(c)) continue;
      c.terminationMessagePath ??= '/dev/termination-log';
      c.terminationMessagePolicy ??= 'File';
      if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
        const tag = /:([^/:@]+)$/.exec(c.image)?.[1];
        c.imagePullPolicy =
          !c.image.includes('@') && (!tag || tag === 'latest') ? 'Always' : 'IfNotPresent';
      }
      if (Array.isArray(c.ports))
        for (const p of c.ports as unknown[]) if (isObj(p)) p.protocol ??= 'TCP';
    }
  }
}

function templateDefaults(spec: Obj): void {
  const template = spec.template;
  if (isObj(template) && isObj(template.spec)) podSpecDefaults(template.spec);
}

/**
 * A workload's update strategy (`strategy` of a Deployment, `updateStrategy` of a DaemonSet or
 * StatefulSet): type RollingUpdate unless set, and then `rollingUpdate`'s unset fields from
 * `defaults`.
 */
function rollingUpdateDefaults(
  spec: Obj,
  field: 'strategy' | 'updateStrategy',
  defaults: Obj,
): void {
  const current = spec[field];
  const strategy = isObj(current) ? current : ((spec[field] = {}) as Obj);
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = isObj(strategy.rollingUpdate)
      ? strategy.rollingUpdate
      : (strategy.rollingUpdate = {});
    for (const [key, value] of Object.entries(defaults)) ru[key] ??= value;
  }
}

/** The defaults kube-apiserver's defaulting functions set, for the kinds clients show them on. */
function setDefaults(rt: ResourceType, o: KubeObject): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec) return;
  switch (`${rt.group}/${rt.kind}`) {
    case 'apps/Deployment': {
      spec.replicas ??= 1;
      rollingUpdateDefaults(spec, 'strategy', { maxUnavailable: '25%', maxSurge: '25%' });
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      templateDefaults(spec);
      return;
    }
    case 'apps/DaemonSet': {
      rollingUpdateDefaults(spec, 'updateStrategy', { maxUnavailable: 1, maxSurge: 0 });
      spec.revisionHistoryLimit ??= 10;
      templateDefaults(spec);
      return;
    }
    case 'apps/StatefulSet': {
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      rollingUpdateDefaults(spec, 'updateStrategy', { partition: 0 });
      spec.revisionHistoryLimit ??= 10;
      templateDefaults(spec);
      return;
    }
    case 'apps/ReplicaSet':
      spec.replicas ??= 1;
      templateDefaults(spec);
      return;
    case 'batch/Job':
      spec.parallelism ??= 1;
      spec.completions ??= 1;
      spec.backoffLimit ??= 6;
      spec.completionMode ??= 'NonIndexed';
      spec.suspend ??= false;
      templateDefaults(spec);
      return;
    case '/Service': {
      if (spec.type !== 'ExternalName') {
        spec.sessionAffinity ??= 'None';
        spec.internalTrafficPolicy ??= 'Cluster';
      }
      if (Array.isArray(spec.ports))
        for (const p of spec.ports as unknown[]) {
          if (!isObj(p)) continue;
          p.protocol ??= 'TCP';
          if (spec.type !== 'ExternalName') p.targetPort ??= p.port;
        }
      return;
    }
    case '/Pod':
      podSpecDefaults(spec);
      return;
  }
}

/**
 * Normalises a built-in object as kube-apiserver stores it (in place): defaults set, empty
 * optional maps and lists removed. Custom resources are left as they are.
 */
export function normalizeBuiltin(rt: ResourceType, o: KubeObject): void {
  if (!rt.builtin) return;
  setDefaults(rt, o);
  const found = builtinSchema(rt);
  if (found) dropEmpty(o as unknown as Obj, found.schema, found.deref);
}
