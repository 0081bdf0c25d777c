/**
 * One request on a resource path: the verb it means, its authorization (403 in kube-apiserver's
 * words), injected faults, and then the verb itself against the cluster: get (and the scale
 * subresource), list (JSON, Table or PartialObjectMetadata), create (and access reviews), update,
 * the patch types, server-side apply, delete with DeleteOptions, deletecollection, and watch.
 */
import type { Faults } from '../faults/Faults';
import { groupResource, type KubeCluster, type Target } from './KubeCluster';
import { KubeStatusError, reasonForCode } from './KubeStatusError';
import { groupVersion } from './ResourceTypes';
import { accessReview } from './accessReview';
import type { FieldValidator } from './FieldValidator';
import { send, wantsTable, type Req, type Res } from './httpExchange';
import { isPlainObject } from './managedFields';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patches';
import type { UserInfo } from './rbac/rbacAuthorizer';
import { decodeJson, decodeObject, decodeYaml } from './requestBody';
import type { Route } from './routeOf';
import { serveWatch } from './serveWatch';
import { toTable } from './tables';

/** What serving a resource request needs of its server. */
export interface ResourceContext {
  cluster: KubeCluster;
  faults?: Faults;
  fields: FieldValidator;
  /** The open watches' stop functions. */
  watches: Set<() => void>;
}

type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'apply'
  | 'delete'
  | 'deletecollection';

const PATCH_TYPES: Record<string, 'json' | 'merge' | 'strategic' | 'apply'> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export function serveResource(
  ctx: ResourceContext,
  req: Req,
  res: Res,
  u: URL,
  r: Route,
  raw: Buffer,
  user: UserInfo,
): void {
  const q = u.searchParams;
  const method = req.method ?? 'GET';
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const watch = q.get('watch') === 'true' || q.get('watch') === '1';
  let verb: Verb;
  if (method === 'GET') verb = r.name ? 'get' : watch ? 'watch' : 'list';
  else if (method === 'POST') verb = 'create';
  else if (method === 'PUT') verb = 'update';
  else if (method === 'PATCH')
    verb = contentType === 'application/apply-patch+yaml' ? 'apply' : 'patch';
  else if (method === 'DELETE') verb = r.name ? 'delete' : 'deletecollection';
  else throw KubeStatusError.methodNotAllowed(method, groupResource(r.rt));

  const rt = r.rt;
  if (r.subresource && !rt.subresources.includes(r.subresource))
    throw KubeStatusError.pathNotFound();
  if (r.subresource && !['get', 'update', 'patch', 'apply'].includes(verb))
    throw KubeStatusError.methodNotAllowed(method, groupResource(rt));
  const review = rt.group === 'authorization.k8s.io';
  if (review ? verb !== 'create' : !rt.verbs.includes(verb === 'apply' ? 'patch' : verb)) {
    throw KubeStatusError.methodNotAllowed(method, groupResource(rt));
  }
  if (rt.namespaced && !r.namespace && !['list', 'watch'].includes(verb) && !review)
    throw KubeStatusError.pathNotFound();
  if (!r.name && ['update', 'patch', 'apply'].includes(verb))
    throw KubeStatusError.methodNotAllowed(method, groupResource(rt));
  if (r.name && verb === 'create')
    throw KubeStatusError.methodNotAllowed(method, groupResource(rt));

  // RBAC calls server-side apply `patch`.
  const authzVerb = verb === 'apply' ? 'patch' : verb;
  if (
    !ctx.cluster.authorize(user, {
      verb: authzVerb,
      group: rt.group,
      resource: rt.plural,
      subresource: r.subresource,
      namespace: rt.namespaced ? r.namespace : undefined,
      name: r.name,
    }).allowed
  ) {
    throw KubeStatusError.forbidden(groupResource(rt), r.name, user.name, {
      verb: authzVerb,
      resource: r.subresource ? `${rt.plural}/${r.subresource}` : rt.plural,
      namespace: rt.namespaced ? r.namespace : undefined,
    });
  }

  const point = `kube.${verb === 'deletecollection' ? 'delete' : verb}.${rt.plural}${r.subresource ? `/${r.subresource}` : ''}`;
  const outcome = ctx.faults?.check(point) ?? { kind: 'ok' as const };
  if (outcome.kind === 'fault') throw faultStatus(outcome.fault);
  if (outcome.kind === 'throttle')
    throw new KubeStatusError(
      429,
      'TooManyRequests',
      'the server has received too many requests and has asked us to try again later',
      { retryAfterSeconds: 1 },
    );
  if (outcome.kind === 'server-error') throw KubeStatusError.internal('injected server error');

  const dryRun = q.getAll('dryRun').includes('All');
  if (q.getAll('dryRun').some((d) => d !== 'All'))
    throw KubeStatusError.badRequest(`Invalid dry run value: ${q.getAll('dryRun').join(',')}`);
  const fv = q.get('fieldValidation');
  if (fv && !['Strict', 'Warn', 'Ignore'].includes(fv))
    throw KubeStatusError.badRequest(
      `fieldValidation must be one of "Ignore", "Warn", or "Strict"`,
    );
  const fieldManager = q.get('fieldManager') ?? managerFromUserAgent(req.headers['user-agent']);
  if (fieldManager.length > 128)
    throw KubeStatusError.badRequest('fieldManager: Too long: may not be more than 128 bytes');
  const t: Target = { rt, namespace: r.namespace, name: r.name ?? '' };
  const wopts = {
    fieldManager,
    dryRun,
    subresource: r.subresource === 'status' ? 'status' : undefined,
  };
  const accept = req.headers.accept ?? '';

  if (verb === 'watch') {
    serveWatch(ctx.cluster, ctx.watches, req, res, r, q);
    return;
  }

  let status = 200;
  let result: unknown;
  switch (verb) {
    case 'get': {
      if (r.subresource === 'scale') result = ctx.cluster.getScale(t);
      else {
        const o = ctx.cluster.getIn(t);
        result = wantsTable(accept)
          ? toTable(
              rt,
              [o],
              { resourceVersion: o.metadata.resourceVersion },
              q.get('includeObject') ?? 'Metadata',
            )
          : o;
      }
      break;
    }
    case 'list': {
      const limit = q.get('limit');
      const list = ctx.cluster.listIn(rt, r.namespace, {
        labelSelector: q.get('labelSelector') ?? undefined,
        fieldSelector: q.get('fieldSelector') ?? undefined,
        limit: limit ? Number(limit) : undefined,
        continue: q.get('continue') ?? undefined,
      });
      const meta: Record<string, unknown> = { resourceVersion: list.resourceVersion };
      if (list.continue) meta.continue = list.continue;
      if (list.remainingItemCount !== undefined) meta.remainingItemCount = list.remainingItemCount;
      if (wantsTable(accept))
        result = toTable(rt, list.items, meta, q.get('includeObject') ?? 'Metadata');
      else if (accept.includes('as=PartialObjectMetadataList')) {
        result = {
          kind: 'PartialObjectMetadataList',
          apiVersion: 'meta.k8s.io/v1',
          metadata: meta,
          items: list.items.map((o) => ({
            kind: 'PartialObjectMetadata',
            apiVersion: 'meta.k8s.io/v1',
            metadata: o.metadata,
          })),
        };
      } else
        result = {
          kind: `${rt.kind}List`,
          apiVersion: groupVersion(rt),
          metadata: meta,
          items: list.items,
        };
      break;
    }
    case 'create': {
      const obj = decodeObject(raw, contentType);
      if (review) {
        result = accessReview(rt, obj, ctx.cluster, user);
        status = 201;
        break;
      }
      ctx.fields.check(res, rt, obj, fv, false);
      // etcd3's Create refuses a set resourceVersion (an object copied from a read, most likely).
      const rv =
        isPlainObject(obj) && isPlainObject(obj.metadata)
          ? obj.metadata.resourceVersion
          : undefined;
      if (typeof rv === 'string' && /^\d+$/.test(rv) && Number(rv) !== 0)
        throw new KubeStatusError(
          500,
          '',
          'resourceVersion should not be set on objects to be created',
        );
      result = ctx.cluster.createIn(t, obj, wopts);
      status = 201;
      break;
    }
    case 'update': {
      const obj = decodeObject(raw, contentType);
      if (r.subresource === 'scale') result = ctx.cluster.setScale(t, obj, wopts);
      else {
        ctx.fields.check(res, rt, obj, fv, false);
        const existed = ctx.cluster.find(t) !== undefined;
        result = ctx.cluster.updateIn(t, obj, wopts);
        if (!existed) status = 201;
      }
      break;
    }
    case 'patch': {
      const type = PATCH_TYPES[contentType];
      const accepted = [
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/apply-patch+yaml',
        ...(rt.builtin ? ['application/strategic-merge-patch+json'] : []),
      ];
      if (!type || (type === 'strategic' && !rt.builtin && r.subresource !== 'scale'))
        throw KubeStatusError.unsupportedMediaType(contentType, accepted);
      const patch = decodeJson(raw, 'error decoding patch');
      if (r.subresource === 'scale') {
        const scale = ctx.cluster.getScale(t);
        const patched =
          type === 'json'
            ? applyJsonPatch(scale, patch)
            : type === 'merge'
              ? applyMergePatch(scale, patch)
              : applyStrategicMergePatch(rt, scale, patch);
        result = ctx.cluster.setScale(t, patched, wopts);
      } else {
        result = ctx.cluster.patchIn(t, type as 'json' | 'merge' | 'strategic', patch, wopts);
      }
      break;
    }
    case 'apply': {
      if (r.subresource === 'scale')
        throw KubeStatusError.unsupportedMediaType(contentType, [
          'application/json-patch+json',
          'application/merge-patch+json',
          'application/strategic-merge-patch+json',
        ]);
      const obj = decodeYaml(raw);
      ctx.fields.check(res, rt, obj, fv, true);
      const force = q.get('force') === 'true';
      if (!q.get('fieldManager'))
        throw KubeStatusError.badRequest(
          'PATCH, application/apply-patch+yaml requires fieldManager to be set',
        );
      const existed = ctx.cluster.find(t) !== undefined;
      result = ctx.cluster.applyIn(t, obj, { ...wopts, force });
      if (!existed) status = 201;
      break;
    }
    case 'delete': {
      // DeleteOptions sent as protobuf (typed clients) carry nothing this server acts on.
      const opts =
        raw.length && contentType !== 'application/vnd.kubernetes.protobuf'
          ? decodeJson(raw, "couldn't get version/kind; json parse error")
          : {};
      const pre =
        isPlainObject(opts) && isPlainObject(opts.preconditions) ? opts.preconditions : {};
      const policy =
        q.get('propagationPolicy') ?? (isPlainObject(opts) ? opts.propagationPolicy : undefined);
      if (
        policy !== undefined &&
        policy !== null &&
        !['Orphan', 'Background', 'Foreground'].includes(String(policy))
      ) {
        throw KubeStatusError.invalid('DeleteOptions', '', '', [
          {
            field: 'propagationPolicy',
            type: 'Unsupported value',
            detail: 'supported values: "Foreground", "Background", "Orphan", "nil"',
            value: policy,
          },
        ]);
      }
      const bodyDryRun =
        isPlainObject(opts) && Array.isArray(opts.dryRun) && opts.dryRun.includes('All');
      result = ctx.cluster.deleteIn(t, {
        dryRun: dryRun || bodyDryRun,
        preconditionUid: typeof pre.uid === 'string' ? pre.uid : undefined,
        preconditionRv: typeof pre.resourceVersion === 'string' ? pre.resourceVersion : undefined,
      });
      break;
    }
    case 'deletecollection': {
      const list = ctx.cluster.listIn(rt, r.namespace, {
        labelSelector: q.get('labelSelector') ?? undefined,
        fieldSelector: q.get('fieldSelector') ?? undefined,
      });
      const items = list.items.map((o) =>
        ctx.cluster.deleteIn(
          { rt, namespace: o.metadata.namespace, name: o.metadata.name },
          { dryRun },
        ),
      );
      result = {
        kind: `${rt.kind}List`,
        apiVersion: groupVersion(rt),
        metadata: { resourceVersion: String(ctx.cluster.resourceVersion) },
        items,
      };
      break;
    }
  }
  if (outcome.kind === 'ok' && outcome.after) throw faultStatus(outcome.after);
  send(res, status, result);
}

function faultStatus(f: { status?: number; code?: string; message?: string }): KubeStatusError {
  const code = f.status ?? 500;
  return new KubeStatusError(
    code,
    f.code ?? reasonForCode(code),
    f.message ?? `injected fault (${code})`,
  );
}

/** apiserver's default field manager: the User-Agent up to the first `/`. */
export function managerFromUserAgent(ua: string | undefined): string {
  return [...(ua ?? '').split('/')[0]!]
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .slice(0, 128);
}
