/** Helm's value handling the sandbox's chart renderer needs: coalescing, and a value as template text. */
import type { HelmValues } from '@hyperpod/core';

/** Helm's value coalescing: user values over defaults, maps merged deeply, `null` deletes a key. */
export function coalesce(defaults: HelmValues, overrides: HelmValues): HelmValues {
  const out: HelmValues = structuredClone(defaults);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) {
      delete out[key];
    } else if (isMap(value) && isMap(out[key])) {
      out[key] = coalesce(out[key] as HelmValues, value);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}

function isMap(value: unknown): value is HelmValues {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as `{{ .Values.x }}` prints it, with nothing for null or a missing key. */
export function valueText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}
