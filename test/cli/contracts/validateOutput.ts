/**
 * Checks a command's parsed `-o json|yaml` output against its shipped schema file with ajv (the
 * validator the core uses, in strict mode), and normalises what differs from run to run (times,
 * ids, ports, durations) so the rest can be snapshotted.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import { schemaPath } from './outputContracts';

const ajv = new Ajv({ allErrors: true, strict: true });
const compiled = new Map<string, ValidateFunction>();

/** The ajv errors of `data` against cli/schemas/<file>.schema.json; [] when it conforms. */
export function schemaErrors(file: string, data: unknown): string[] {
  let validate = compiled.get(file);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(schemaPath(file), 'utf8')));
    compiled.set(file, validate);
  }
  if (validate(data)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** newRunId: `<name>-YYYYMMDD-HHMMSS-<25 random base-36>`. */
const RUN_ID = /-\d{8}-\d{6}-[0-9a-z]{25}\b/g;
const DURATION_KEYS = new Set(['durationMs', 'elapsedMs']);

/**
 * `value` with every volatile part replaced by a placeholder: ISO times, UUIDs, run ids, loopback
 * ports, temp directories, durations, the sandbox's random HyperPod cluster ids and role suffixes.
 */
export function normalise(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, normalise(v, k)]),
    );
  if (typeof value === 'number' && key !== undefined && DURATION_KEYS.has(key)) return 0;
  if (typeof value !== 'string') return value;
  if (ISO_TIME.test(value)) return '<time>';
  return value
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(UUID, '<uuid>')
    .replace(RUN_ID, '-<run-id>')
    .replace(/\b(127\.0\.0\.1|localhost):\d+/g, '$1:<port>')
    .replace(/\/tmp\/[\w.-]+/g, '<tmp>')
    .replace(/(:cluster\/)[a-z0-9]{12}\b/g, '$1<hyperpod-id>')
    .replace(/(SageMakerHyperPodInference-)[a-z0-9]{8}-/g, '$1<id8>-')
    .replace(/\b(eks-update-|update-)[0-9a-f-]{8,}\b/g, '$1<id>');
}
