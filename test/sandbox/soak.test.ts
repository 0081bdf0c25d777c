import https from 'node:https';
import { SANDBOX_CA_DATA } from '@hyperpod/sandbox';
import { startSandboxProcess, type SandboxProcess } from '../support/sandboxProcess';
import { signedFetch } from '../support/signedFetch';

/**
 * Issue 2: "the process survives 10,000 mixed requests with stable memory". Valid calls, AWS
 * errors, malformed bodies, unsigned calls, unknown routes and Kubernetes calls, against the
 * sandbox running as its own process (with --expose-gc so heap figures are live data).
 */
const TOTAL = 10_000;
const BATCHES = 4;
const CONCURRENCY = 16;

describe('sandbox under 10,000 mixed requests', () => {
  let sb: SandboxProcess;
  beforeAll(async () => {
    sb = await startSandboxProcess(
      ['--scenario', 'demo', '--addon-transition', '50'],
      ['--expose-gc'],
    );
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('answers every request with the expected kind of status and keeps its heap flat', async () => {
    const acct = sb.info.accounts[0]!;
    const cluster = sb.info.clusters.find((c) => c.accountId === acct.accountId)!;
    const creds = { accessKeyId: acct.accessKeyId, secretAccessKey: acct.secretAccessKey };
    const aws = (
      service: string,
      method: string,
      path: string,
      body?: string,
      headers: Record<string, string> = {},
      query?: Record<string, string>,
    ) =>
      signedFetch({
        endpoint: sb.info.awsEndpoint,
        service,
        region: cluster.region,
        method,
        path,
        body,
        headers,
        query,
        credentials: creds,
      });
    // The cluster API servers use the sandbox's own CA, as EKS endpoints use the cluster's.
    const agent = new https.Agent({
      ca: Buffer.from(SANDBOX_CA_DATA, 'base64'),
      keepAlive: true,
      maxSockets: CONCURRENCY,
    });
    const kube = (
      method: string,
      path: string,
      body?: string,
      token = cluster.token,
      contentType = 'application/json',
    ) =>
      new Promise<{ status: number }>((resolve, reject) => {
        const req = https.request(
          cluster.server + path,
          {
            method,
            agent,
            headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });

    // Each kind of request and the status family it must get.
    const kinds: {
      name: string;
      expect: (s: number) => boolean;
      send: (i: number) => Promise<{ status: number }>;
    }[] = [
      {
        name: 'eks ListClusters',
        expect: (s) => s === 200,
        send: () => aws('eks', 'GET', '/clusters'),
      },
      {
        name: 'eks DescribeCluster',
        expect: (s) => s === 200,
        send: () => aws('eks', 'GET', `/clusters/${cluster.name}`),
      },
      {
        name: 'eks ListAddons',
        expect: (s) => s === 200,
        send: () => aws('eks', 'GET', `/clusters/${cluster.name}/addons`),
      },
      {
        name: 'eks DescribeAddon missing',
        expect: (s) => s === 404,
        send: () => aws('eks', 'GET', `/clusters/${cluster.name}/addons/no-such-addon`),
      },
      {
        name: 'eks malformed JSON',
        expect: (s) => s === 400,
        send: () =>
          aws('eks', 'POST', `/clusters/${cluster.name}/addons`, '{"addonName": ', {
            'content-type': 'application/json',
          }),
      },
      {
        name: 'eks wrong types',
        expect: (s) => s === 400,
        send: () =>
          aws('eks', 'POST', `/clusters/${cluster.name}/addons`, '{"addonName": 42}', {
            'content-type': 'application/json',
          }),
      },
      {
        name: 'eks unknown route',
        expect: (s) => s >= 400 && s < 500,
        send: () => aws('eks', 'GET', '/no/such/route'),
      },
      {
        name: 'unsigned',
        expect: (s) => s === 403,
        send: () => fetch(sb.info.awsEndpoint + '/clusters').then((r) => ({ status: r.status })),
      },
      {
        name: 'iam CreateRole+DeleteRole',
        expect: (s) => s === 200,
        send: async (i) => {
          const name = `soak-${i}`;
          const policy = encodeURIComponent(
            JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: 'eks.amazonaws.com' },
                  Action: 'sts:AssumeRole',
                },
              ],
            }),
          );
          const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
          const c = await aws(
            'iam',
            'POST',
            '/',
            `Action=CreateRole&Version=2010-05-08&RoleName=${name}&AssumeRolePolicyDocument=${policy}`,
            form,
          );
          if (c.status !== 200) return c;
          return aws(
            'iam',
            'POST',
            '/',
            `Action=DeleteRole&Version=2010-05-08&RoleName=${name}`,
            form,
          );
        },
      },
      {
        name: 'iam GetRole missing',
        expect: (s) => s === 404,
        send: () =>
          aws('iam', 'POST', '/', 'Action=GetRole&Version=2010-05-08&RoleName=nope', {
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          }),
      },
      {
        name: 's3 HeadBucket missing',
        expect: (s) => s === 404,
        send: () => aws('s3', 'HEAD', '/no-such-bucket-soak'),
      },
      {
        name: 'kube list deployments',
        expect: (s) => s === 200,
        send: () => kube('GET', '/apis/apps/v1/deployments'),
      },
      {
        name: 'kube get missing',
        expect: (s) => s === 404,
        send: () => kube('GET', '/api/v1/namespaces/default/configmaps/nope'),
      },
      {
        name: 'kube malformed JSON',
        expect: (s) => s === 400,
        send: () => kube('POST', '/api/v1/namespaces/default/configmaps', '{"kind":'),
      },
      {
        name: 'kube bad patch',
        expect: (s) => s >= 400 && s < 500,
        send: () =>
          kube(
            'PATCH',
            '/api/v1/namespaces/default',
            '[{"op":"nope"}]',
            cluster.token,
            'application/json-patch+json',
          ),
      },
      {
        name: 'kube unknown path',
        expect: (s) => s === 404,
        send: () => kube('GET', '/apis/nope.example.com/v1/things'),
      },
      {
        name: 'kube no token',
        expect: (s) => s === 401,
        send: () => kube('GET', '/api/v1/namespaces', undefined, 'wrong'),
      },
    ];

    const heap: number[] = [];
    const unexpected: string[] = [];
    const perBatch = TOTAL / BATCHES;
    for (let b = 0; b < BATCHES; b++) {
      let next = 0;
      const worker = async () => {
        while (next < perBatch) {
          const i = b * perBatch + next++;
          const kind = kinds[i % kinds.length]!;
          const { status } = await kind.send(i);
          if (!kind.expect(status) && unexpected.length < 20)
            unexpected.push(`${kind.name}: ${status}`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const mem = await sb.control<{ heapUsed: number }>('GET', '/memory');
      heap.push(mem.body.heapUsed);
    }
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    process.stderr.write(
      `soak: heap after each ${perBatch} requests (MiB): ${heap.map(mb).join(', ')}\n`,
    );

    expect(unexpected).toEqual([]);
    expect(sb.child.exitCode).toBeNull();
    const status = await sb.control('GET', '/status');
    expect(status.status).toBe(200);
    // Flat: after the first batch warmed caches, the heap grows by less than 8 MiB over 7,500 more requests.
    expect(heap[BATCHES - 1]! - heap[0]!).toBeLessThan(8 * 1024 * 1024);
    agent.destroy();
  }, 240_000);
});
