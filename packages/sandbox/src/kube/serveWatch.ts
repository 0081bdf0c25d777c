/**
 * Watch streams: newline-delimited events from a resourceVersion (410 Expired when it is too old),
 * the current state first for a plain or streaming list (`sendInitialEvents`, ending in a
 * bookmark), as one-row Tables for `kubectl get --watch`, closed at the timeout.
 */
import type { KubeCluster, WatchEvent } from './KubeCluster';
import { KubeStatusError } from './KubeStatusError';
import { groupVersion } from './ResourceTypes';
import { isHttp2, wantsTable, writeHead, type Req, type Res } from './httpExchange';
import { parseFieldSelector, parseLabelSelector } from './labelSelector';
import type { Route } from './routeOf';
import { toTable } from './tables';
import type { KubeObject } from './types';

/** Longest a watch stays open when the client names no timeout. */
const DEFAULT_WATCH_SECONDS = 1800;

export function serveWatch(
  cluster: KubeCluster,
  /** The open watches' stop functions, so closing the server ends them. */
  watches: Set<() => void>,
  req: Req,
  res: Res,
  r: Route,
  q: URLSearchParams,
): void {
  const rt = r.rt;
  const labels = parseLabelSelector(q.get('labelSelector') ?? undefined);
  const fields = parseFieldSelector(q.get('fieldSelector') ?? undefined);
  const rvParam = q.get('resourceVersion');
  const since = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
  if (since !== undefined && !Number.isInteger(since))
    throw KubeStatusError.badRequest(`invalid resource version: ${rvParam}`);
  const timeout = Math.min(
    Number(q.get('timeoutSeconds') ?? DEFAULT_WATCH_SECONDS) || DEFAULT_WATCH_SECONDS,
    DEFAULT_WATCH_SECONDS,
  );
  writeHead(res, 200, {
    'content-type': 'application/json',
    ...(isHttp2(req) ? {} : { 'transfer-encoding': 'chunked' }),
    'cache-control': 'no-cache, private',
  });
  // Both response kinds stream and flush headers; their typings share no write signature.
  const stream = res as unknown as { flushHeaders(): void; write(chunk: string): boolean };
  stream.flushHeaders();
  const key = `${rt.group}/${rt.plural}`;
  const matches = (o: KubeObject) =>
    (!rt.namespaced || !r.namespace || o.metadata.namespace === r.namespace) &&
    (!r.name || o.metadata.name === r.name) &&
    labels(o.metadata.labels ?? {}) &&
    fields(o);
  // With as=Table each event carries a one-row Table (kubectl get --watch prints its rows);
  // kube-apiserver sends the column definitions with the first event only.
  const asTable = wantsTable(req.headers.accept ?? '');
  const includeObject = q.get('includeObject') ?? 'Metadata';
  let columnsSent = false;
  const render = (type: string, object: KubeObject): unknown => {
    if (!asTable || type === 'ERROR') return object;
    const table = toTable(
      rt,
      [object],
      { resourceVersion: object.metadata.resourceVersion },
      includeObject,
    );
    if (columnsSent) table.columnDefinitions = [];
    columnsSent = true;
    return table;
  };
  const write = (type: string, object: unknown) =>
    stream.write(JSON.stringify({ type, object: render(type, object as KubeObject) }) + '\n');
  if (since !== undefined && !cluster.canWatchFrom(since)) {
    write(
      'ERROR',
      new KubeStatusError(
        410,
        'Expired',
        `too old resource version: ${since} (${cluster.resourceVersion})`,
      ).toStatus(),
    );
    res.end();
    return;
  }
  // A streaming list (client-go's WatchList, which helm v4's watcher uses): the current state as
  // ADDED events, then a bookmark marking their end.
  const initialEvents = q.get('sendInitialEvents') === 'true';
  if (since === undefined || initialEvents) {
    for (const o of cluster.listIn(rt, r.namespace).items) if (matches(o)) write('ADDED', o);
  }
  if (initialEvents)
    write('BOOKMARK', {
      kind: rt.kind,
      apiVersion: groupVersion(rt),
      metadata: {
        resourceVersion: String(cluster.resourceVersion),
        annotations: { 'k8s.io/initial-events-end': 'true' },
      },
    });
  const onEvent = (e: WatchEvent) => {
    if (e.resource !== key || !matches(e.object)) return;
    write(e.type, { ...e.object, apiVersion: groupVersion(rt) });
  };
  const unsubscribe = cluster.watch(onEvent, initialEvents ? undefined : since);
  const stop = () => {
    clearTimeout(timer);
    unsubscribe();
    watches.delete(stop);
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(stop, timeout * 1000);
  watches.add(stop);
  req.on('close', stop);
  res.on('close', stop);
}
