/**
 * Every input the API takes, as zod schemas; a failure is a 400 whose message names each field
 * that is wrong and why.
 */
import { InputError } from '@backstage/errors';
import { UPGRADE_REQUEST_STATES } from '@hyperpod/core';
import { z } from 'zod';

/** A cluster id (ARN or region/name) or name, as it appears in a path. */
export const clusterRef = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[A-Za-z0-9][\w:/.-]*$/, 'must be an EKS cluster ARN, region/name, or a cluster name');
export const addonName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,99}$/,
    'must be an EKS add-on name (lower case letters, digits, and . _ -)',
  );
export const target = z
  .string()
  .regex(
    /^(default|latest|v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?)$/,
    'must be a version like v1.19.5-eksbuild.3, `default` or `latest`',
  );
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

export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'must be 8 to 128 letters, digits or _.:-');

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
