/**
 * Every input the API takes, as zod schemas; a failure is a 400 whose message names each field
 * that is wrong and why.
 */
import { InputError } from '@backstage/errors';
import {
  CLUSTER_REF,
  EKS_ADDON_NAME,
  IDEMPOTENCY_KEY,
  UPGRADE_REQUEST_STATES,
  UPGRADE_TARGET,
  type InputRule,
} from '@hyperpod/core';
import { z } from 'zod';

/** A string that follows one of the contract's input rules (core's inputRules). */
const following = (r: InputRule) => z.string().regex(r.pattern, `must be ${r.rule}`);

/** A cluster id (ARN or region/name) or name, as it appears in a path. */
export const clusterRef = following(CLUSTER_REF);
export const addonName = following(EKS_ADDON_NAME);
export const target = following(UPGRADE_TARGET);
/** C0 controls except tab, newline and carriage return, and DEL. */
const isControl = (ch: string): boolean => {
  const c = ch.charCodeAt(0);
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f;
};

const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => ![...s].some(isControl), {
      message: 'must not contain control characters',
    });

export const createRequestBody = z.strictObject({
  cluster: clusterRef,
  addonName,
  target,
  reason: text(3, 2000),
});

export const decideBody = z.strictObject({ note: text(1, 2000).optional() });

export const requestId = z.uuid({ message: 'must be a request id (a UUID)' });

const ENTITY_REF = /^[a-z]+:[\w.-]+\/[\w.-]+$/i;

export const listRequestsQuery = z.strictObject({
  cluster: clusterRef.optional(),
  addon: addonName.optional(),
  state: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(UPGRADE_REQUEST_STATES)))
    .optional(),
  requestedBy: z
    .string()
    .regex(ENTITY_REF, 'must be an entity ref like user:default/alice')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const idempotencyKey = following(IDEMPOTENCY_KEY);

/** Parses `value` with `schema`, or throws InputError naming `what` and every problem. */
export function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => {
    const path = i.path.length ? i.path.join('.') : '';
    return path ? `${path}: ${i.message}` : i.message;
  });
  throw new InputError(`invalid ${what}: ${problems.join('; ')}`);
}
