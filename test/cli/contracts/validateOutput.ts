/**
 * Checks a command's parsed `-o json|yaml` output against its shipped schema file with ajv (the
 * validator the core uses, in strict mode), and normalises what differs from run to run (times,
 * ids, ports, durations) so the rest can be snapshotted.
 */
import { readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
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

/** The output conforms to cli/schemas/<file>.schema.json (the errors name the file if not). */
export function expectConforms(file: string, data: unknown): void {
  expect({ file, errors: schemaErrors(file, data) }).toEqual({ file, errors: [] });
}

const POLLS = new Set(['addon-status', 'update-status']);

/**
 * An upgrade-style outcome (events with a `type`) normalised, its events reduced to the
 * milestones: how many status polls a wait makes depends on timing (the schema sees them all).
 */
export function milestones(outcome: unknown): unknown {
  const o = outcome as { events: { type: string }[] };
  return normalise({ ...o, events: o.events.filter((e) => !POLLS.has(e.type)) });
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** newRunId: `<name>-YYYYMMDD-HHMMSS-<25 random base-36>`. */
const RUN_ID = /-\d{8}-\d{6}-[0-9a-z]{25}\b/g;
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const HOST = escape(hostname());
const TMP = new RegExp(`${escape(tmpdir())}/[\\w.-]+`, 'g');
/** Who holds a lock or claims a request: `user@host`, `<host>-<8 hex>` (the backend), `pid-N`. */
const USER_AT_HOST = new RegExp(`[\\w.-]+@${HOST}\\b`, 'g');
const BACKEND_INSTANCE = new RegExp(`\\b${HOST}-[0-9a-f]{8}\\b`, 'g');
const DURATION_KEYS = new Set(['durationMs', 'elapsedMs']);

/**
 * `value` with every volatile part replaced by a placeholder: ISO times, UUIDs, run ids, loopback
 * ports, temp directories, durations, this machine's name and user, the sandbox's random
 * HyperPod cluster ids, role suffixes and load balancer ids.
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
    .replace(USER_AT_HOST, '<user>@<host>')
    .replace(BACKEND_INSTANCE, '<host>-<id>')
    .replace(/\bpid-\d+\b/g, 'pid-<pid>')
    .replace(UUID, '<uuid>')
    .replace(RUN_ID, '-<run-id>')
    .replace(/\b(127\.0\.0\.1|localhost):\d+/g, '$1:<port>')
    .replace(TMP, '<tmp>')
    .replace(/(:cluster\/)[a-z0-9]{12}\b/g, '$1<hyperpod-id>')
    .replace(/(SageMakerHyperPodInference-|SageMakerHP-[A-Za-z]+-)[a-z0-9]{8}-/g, '$1<id8>-')
    .replace(/(:loadbalancer\/(?:app|net)\/[\w-]+\/)[0-9a-f]{16}\b/g, '$1<lb-id>');
}
