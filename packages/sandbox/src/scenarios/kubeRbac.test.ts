import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Sandbox } from '../Sandbox';
import type { KubeObject } from '../kube/types';
import type { Scenario } from './index';

const READONLY = join(__dirname, '../../../../permissions/kubernetes/hyperpod-readonly.yaml');

/** One request to a sandbox cluster's API server as `token`: status and parsed body. */
function kubeCall(server: string, path: string, token: string, method = 'GET') {
  return new Promise<{ status: number; body: { message?: string } }>((resolve, reject) => {
    const req = https.request(
      server + path,
      { method, headers: { authorization: `Bearer ${token}` }, rejectUnauthorized: false },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const oneCluster: Scenario = {
  name: 'one-cluster',
  description: 'one account, one cluster',
  async seed(sb) {
    sb.addAccount('prod', '111111111111');
    await sb.addCluster({ account: 'prod', region: 'us-east-1', name: 'c1', version: '1.31' });
  },
};

describe('the rbac scenario option', () => {
  let sb: Sandbox;
  afterEach(() => sb?.stop());

  it('names users RBAC authorizes and creates the RBAC objects it lists; the creator stays cluster-admin', async () => {
    const objects = parseAllDocuments(readFileSync(READONLY, 'utf8')).map(
      (d) => d.toJS() as KubeObject,
    );
    sb = await Sandbox.start({
      scenario: oneCluster,
      scenarioOptions: {
        rbac: {
          c1: {
            users: [{ name: 'reader', token: 'reader-token', groups: ['hyperpod:readonly'] }],
            objects,
          },
        },
      },
    });
    const { server, token } = sb.cluster('c1');
    expect((await kubeCall(server, '/apis/apps/v1/deployments', 'reader-token')).status).toBe(200);
    const refused = await kubeCall(server, '/api/v1/namespaces/default/secrets/x', 'reader-token');
    expect(refused).toEqual({
      status: 403,
      body: expect.objectContaining({
        message:
          'secrets "x" is forbidden: User "reader" cannot get resource "secrets" in API group "" in the namespace "default"',
      }),
    });
    expect((await kubeCall(server, '/api/v1/namespaces/default/secrets/x', token)).status).toBe(
      404,
    );
    expect(
      sb
        .kube('c1')
        .list('rbac.authorization.k8s.io/v1', 'ClusterRole')
        .map((r) => r.metadata.name),
    ).toContain('hyperpod-readonly');
  });

  it('refuses a setting for a cluster the scenario did not create', async () => {
    await expect(
      Sandbox.start({ scenario: oneCluster, scenarioOptions: { rbac: { nope: { users: [] } } } }),
    ).rejects.toThrow(/no cluster|nope/);
  });
});
