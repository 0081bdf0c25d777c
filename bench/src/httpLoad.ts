/**
 * Closed-loop HTTP load from a worker thread: C clients, each sending N requests one after
 * another on its own kept-alive connection, timing each from the call to the last byte of the
 * body. Clients send a browser's Accept-Encoding and never decode, so compressed answers cost the
 * load nothing extra. The clients run on their own
 * event loop so that a server started in the main thread (the portal backend, in process) does
 * not also pay for the clients' request building and response parsing; on two cores that gives
 * the server one core and the load the other.
 */
import {
  Agent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  /** Per client: client i sends `headers[i % headers.length]`. */
  headers: Record<string, string>[];
  body?: string;
  clients: number;
  requestsPerClient: number;
}

export interface LoadResult {
  /** One per request, in ms, sorted ascending. */
  latencies: number[];
  wallMs: number;
  /** Requests whose status was not 2xx (their latency is still counted). */
  failures: number;
  firstFailure?: string;
  /** Body bytes of the last response as sent (before any content decoding). */
  wireBytes: number;
  /** Content-Encoding of the last response, `identity` when none. */
  encoding: string;
  /** Share of the load worker's own time spent busy (near 1: the clients, not the server, limit). */
  clientBusy: number;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as received (still encoded when the server compressed it). */
  body: Buffer;
}

function request(agent: Agent, url: URL, spec: LoadSpec, headers: OutgoingHttpHeaders) {
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(url, { agent, method: spec.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(spec.body);
  });
}

async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  // One kept-alive connection per client, as browsers polling the page would hold.
  const agent = new Agent({ keepAlive: true, maxSockets: spec.clients });
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let last: Answer | undefined;
  const client = async (i: number): Promise<void> => {
    const headers: OutgoingHttpHeaders = {
      ...spec.headers[i % spec.headers.length],
      // What a browser sends; the client never decodes, so the figures are the server's.
      'accept-encoding': 'gzip, deflate, br',
      ...(spec.body !== undefined
        ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(spec.body) }
        : {}),
    };
    for (let n = 0; n < spec.requestsPerClient; n++) {
      const t0 = performance.now();
      const answer = await request(agent, url, spec, headers);
      latencies.push(performance.now() - t0);
      last = answer;
      if (answer.status < 200 || answer.status >= 300) {
        failures++;
        firstFailure ??= `${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`;
      }
    }
  };
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: spec.clients }, (_, i) => client(i)));
  } finally {
    agent.destroy();
  }
  const wallMs = performance.now() - started;
  const clientBusy = performance.eventLoopUtilization(elu).utilization;
  latencies.sort((a, b) => a - b);
  const encoding = last?.headers['content-encoding'] ?? 'identity';
  return {
    latencies,
    wallMs,
    failures,
    ...(firstFailure !== undefined ? { firstFailure } : {}),
    wireBytes: last?.body.length ?? 0,
    encoding,
    clientBusy,
  };
}

const ROLE = 'hyperpod-bench-http-load';

/** The main thread's handle on the load worker: one load at a time. */
export class HttpLoad {
  private readonly worker = new Worker(__filename, { workerData: { role: ROLE } });

  run(spec: LoadSpec): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const failed = (e: Error) => {
        this.worker.off('message', done);
        reject(e);
      };
      const done = (m: { result?: LoadResult; error?: string }) => {
        this.worker.off('error', failed);
        if (m.error !== undefined) reject(new Error(m.error));
        else resolve(m.result!);
      };
      this.worker.once('message', done);
      this.worker.once('error', failed);
      this.worker.postMessage(spec);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === ROLE) {
  parentPort!.on('message', (spec: LoadSpec) => {
    runLoad(spec).then(
      (result) => parentPort!.postMessage({ result }),
      (e: unknown) =>
        parentPort!.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    );
  });
}

/** Nearest-rank percentile of ascending `sorted` (p in 0..100): the smallest value with at least p % of the samples at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
