/**
 * Configuration drift: what was declared for an add-on (fleet file, upgrade request, migration
 * plan) against the configurationValues EKS reports. Compared leaf by leaf as dotted paths;
 * arrays are leaves (a reordered toleration list is a change worth seeing).
 */
import type { ConfigDrift } from '../report/ClusterReport';

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function leaves(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (isMap(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value);
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `changed`: both have the path with different values; `missing`: declared, not applied; `extra`: applied, not declared. */
export function configDrift(declared: unknown, actual: unknown): ConfigDrift {
  const d = leaves(declared ?? {}, '', new Map());
  const a = leaves(actual ?? {}, '', new Map());
  const changed: string[] = [];
  const missing: string[] = [];
  const extra: string[] = [];
  for (const [path, value] of d) {
    if (!a.has(path)) missing.push(path);
    else if (!sameValue(value, a.get(path))) changed.push(path);
  }
  for (const path of a.keys()) if (!d.has(path)) extra.push(path);
  return { changed: changed.sort(), missing: missing.sort(), extra: extra.sort() };
}

/** configurationValues as EKS returns them (a JSON string, sometimes YAML-ish text): parsed when it is JSON. */
export function parseConfigurationValues(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
