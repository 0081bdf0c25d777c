/**
 * A failed Kubernetes API call as kube-apiserver reports it: a `Status` object with the same
 * reason, code and message wording (k8s.io/apimachinery/pkg/api/errors), so clients that match
 * on them (kubectl, helm, client-node) behave as against a real cluster.
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A group + resource (plural), as apiserver names it in messages: `deployments.apps`, `namespaces`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function detailsFor(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = { name };
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return d;
}

export class KubeStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'KubeStatusError';
  }

  toStatus(): KubeStatus {
    const s: KubeStatus = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      code: this.code,
    };
    // apiserver leaves the reason out (StatusReasonUnknown) for errors it could not classify.
    if (this.reason) s.reason = this.reason;
    if (this.details) s.details = this.details;
    return s;
  }

  static notFound(gr: GroupResource, name: string): KubeStatusError {
    return new KubeStatusError(
      404,
      'NotFound',
      `${qualified(gr)} "${name}" not found`,
      detailsFor(gr, name),
    );
  }

  static alreadyExists(gr: GroupResource, name: string): KubeStatusError {
    return new KubeStatusError(
      409,
      'AlreadyExists',
      `${qualified(gr)} "${name}" already exists`,
      detailsFor(gr, name),
    );
  }

  static conflict(gr: GroupResource, name: string, why: string): KubeStatusError {
    return new KubeStatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`,
      detailsFor(gr, name),
    );
  }

  static staleResourceVersion(gr: GroupResource, name: string): KubeStatusError {
    return KubeStatusError.conflict(
      gr,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  }

  static badRequest(message: string): KubeStatusError {
    return new KubeStatusError(400, 'BadRequest', message);
  }

  /** 422 with field causes, worded like apiserver's validation errors. */
  static invalid(
    kind: string,
    group: string,
    name: string,
    causes: { field: string; type: string; detail: string; value?: unknown }[],
  ): KubeStatusError {
    const gk = group ? `${kind}.${group}` : kind;
    // field.Error's ErrorBody: the type, the bad value (when there is one), the detail.
    const body = (c: (typeof causes)[number]) =>
      `${c.type}${c.value !== undefined ? `: ${JSON.stringify(c.value)}` : ''}${c.detail ? `: ${c.detail}` : ''}`;
    const parts = causes.map((c) => `${c.field}: ${body(c)}`);
    const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
    const details: StatusDetails = {
      name,
      kind,
      causes: causes.map((c) => ({
        reason: `Field${c.type.replace(/ /g, '')}`,
        message: body(c),
        field: c.field,
      })),
    };
    if (group) details.group = group;
    return new KubeStatusError(422, 'Invalid', `${gk} "${name}" is invalid: ${summary}`, details);
  }

  static unauthorized(): KubeStatusError {
    return new KubeStatusError(401, 'Unauthorized', 'Unauthorized');
  }

  /** 403 from the authorizer, in RBAC's wording. */
  static forbidden(
    gr: GroupResource,
    name: string | undefined,
    user: string,
    attrs: { verb: string; resource: string; namespace?: string },
  ): KubeStatusError {
    const scope = attrs.namespace
      ? `in the namespace "${attrs.namespace}"`
      : 'at the cluster scope';
    const target = name ? `${qualified(gr)} "${name}"` : qualified(gr);
    return new KubeStatusError(
      403,
      'Forbidden',
      `${target} is forbidden: User "${user}" cannot ${attrs.verb} resource "${attrs.resource}" in API group "${gr.group}" ${scope}`,
      detailsFor(gr, name ?? ''),
    );
  }

  static pathNotFound(): KubeStatusError {
    return new KubeStatusError(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    );
  }

  static methodNotAllowed(verb: string, gr: GroupResource): KubeStatusError {
    return new KubeStatusError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource`,
      { group: gr.group || undefined, kind: gr.resource },
    );
  }

  static unsupportedMediaType(contentType: string, accepted: string[]): KubeStatusError {
    return new KubeStatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
      contentType ? {} : undefined,
    );
  }

  static tooLarge(limit: number): KubeStatusError {
    return new KubeStatusError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: limit is ${limit}`,
    );
  }

  static internal(message: string): KubeStatusError {
    return new KubeStatusError(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ message }],
    });
  }
}

/** Reason apiserver attaches to a status code, for injected faults that give only a code. */
export function reasonForCode(code: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Expired',
    413: 'RequestEntityTooLarge',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[code] ?? 'Unknown';
}
