/**
 * The three PATCH bodies kube-apiserver accepts besides apply: RFC 7386 JSON merge patch, RFC 6902
 * JSON patch, and strategic merge patch (lists of known types merged by their patch merge key,
 * with the `$patch`, `$setElementOrder` and `$deleteFromPrimitiveList` directives).
 */
import { applyPatch, type Operation } from 'fast-json-patch';
import { KubeStatusError } from './KubeStatusError';
import { listMapKeys, type ResourceType } from './ResourceTypes';
import { clone, isPlainObject } from './managedFields';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw KubeStatusError.badRequest(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  for (const op of patch) {
    if (!isPlainObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw KubeStatusError.badRequest('json: cannot unmarshal operation: missing op or path');
    }
  }
  try {
    const doc = clone(target);
    return applyPatch(doc, patch as Operation[], true, true).newDocument;
  } catch (e) {
    // apiserver wraps json-patch failures (a failed `test`, a missing path) in a generic 422.
    const message = jsonPatchErrorMessage(e, patch as Operation[]);
    throw new KubeStatusError(
      422,
      'Invalid',
      'the server rejected our request due to an error in our request',
      {
        causes: [{ reason: 'UnexpectedServerResponse', message }],
      },
    );
  }
}

function jsonPatchErrorMessage(e: unknown, ops: Operation[]): string {
  const err = e as { name?: string; index?: number; operation?: Operation };
  const op = err.operation ?? (err.index !== undefined ? ops[err.index] : undefined);
  if (err.name === 'TEST_OPERATION_FAILED' && op)
    return `testing value ${op.path} failed: test failed`;
  if (
    op &&
    (err.name === 'OPERATION_PATH_UNRESOLVABLE' || err.name === 'OPERATION_PATH_CANNOT_ADD')
  ) {
    return `${op.op} operation does not apply: doc is missing path: "${op.path}": missing value`;
  }
  return (e as Error).message?.split('\n')[0] ?? String(e);
}

/** The strategic-merge-patch key of a list, or undefined for a list that is replaced. */
function patchMergeKey(rt: ResourceType, names: string[]): string | undefined {
  return listMapKeys(rt, names)?.[0];
}

export function applyStrategicMergePatch(
  rt: ResourceType,
  target: unknown,
  patch: unknown,
): unknown {
  return smpValue(rt, target, patch, []);
}

function smpValue(rt: ResourceType, target: unknown, patch: unknown, names: string[]): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _drop, ...rest } = patch;
    return stripDirectives(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v)) out[field] = cur.filter((x) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const childNames = [...names, k];
    if (Array.isArray(v)) {
      const key = patchMergeKey(rt, childNames);
      out[k] = key ? mergeList(rt, out[k], v, key, childNames) : replaceList(v);
      continue;
    }
    const merged = smpValue(rt, out[k], v, childNames);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

function replaceList(v: unknown[]): unknown[] {
  return v
    .filter((x) => !(isPlainObject(x) && x.$patch !== undefined && Object.keys(x).length === 1))
    .map(stripDirectives);
}

function mergeList(
  rt: ResourceType,
  target: unknown,
  patch: unknown[],
  key: string,
  names: string[],
): unknown[] {
  if (patch.some((x) => isPlainObject(x) && x.$patch === 'replace')) {
    return patch.filter((x) => !(isPlainObject(x) && x.$patch === 'replace')).map(stripDirectives);
  }
  const out: unknown[] = Array.isArray(target) ? [...target] : [];
  for (const item of patch) {
    if (!isPlainObject(item)) {
      if (!out.some((x) => x === item)) out.push(item);
      continue;
    }
    const i = out.findIndex((x) => isPlainObject(x) && x[key] === item[key]);
    if (item.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = smpValue(rt, out[i], item, names);
    else out.push(smpValue(rt, undefined, item, names));
  }
  return out;
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}
