/**
 * Secrets in an add-on's configurationValues never come back from the API: a cluster whose
 * vpc-cni carries a database URL with its password, a Slack webhook and a bearer token is scanned
 * by the portal, and `GET /clusters/:cluster` and `GET /fleet` show the values with those parts
 * redacted and the rest (hosts, settings) readable.
 */
import { ALICE, eventually, FROM, teamAFleetEntry, VPC_CNI } from './support';
import { portalDatabases, usePortal } from './usePortal';

const PASSWORD = 'Tr0ub4dor-and-3';
const WEBHOOK_SECRET = 'T0A1B2C3D/B0E1F2G3H4I/xA9bC8dE7fG6hI5jK4lM3nO2';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbmktcmVwb3J0ZXIifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const CONFIG = JSON.stringify({
  env: {
    WARM_IP_TARGET: '5',
    METRICS_DB: `postgres://cni:${PASSWORD}@metrics.internal:5432/cni`,
    ALERT_HOOK: `https://hooks.slack.com/services/${WEBHOOK_SECRET}`,
    REPORTER_AUTH: `Bearer ${TOKEN}`,
  },
});

const databases = portalDatabases(['SQLITE_3']);

describe('redaction in the portal API', () => {
  const name = 'red-secrets-use1';
  const s = usePortal({
    prefix: 'red',
    knex: () => databases.init('SQLITE_3'),
    async prepare({ p, config }) {
      const c = await p.sb.addCluster({
        account: 'prod',
        region: 'us-east-1',
        name,
        version: '1.31',
      });
      p.sb.services.eks.seedAddon({
        accountId: c.accountId,
        region: c.region,
        clusterName: c.name,
        addonName: VPC_CNI,
        addonVersion: FROM,
        configurationValues: CONFIG,
      });
      config.hyperpod.fleet.clusters.push(teamAFleetEntry(p.sb, c));
    },
  });

  it('shows configuration values with credentials, webhooks and tokens redacted', async () => {
    const r = await eventually(
      () => s.portal.call(ALICE, 'GET', `/clusters/${name}`),
      (x) => x.body?.report !== undefined,
    );
    expect(r.status).toBe(200);
    const cni = r.body.report.addons.find((a: { name: string }) => a.name === VPC_CNI);
    expect(cni.addon.configurationValues).toEqual({
      env: {
        WARM_IP_TARGET: '5',
        METRICS_DB: 'postgres://cni:<redacted>@metrics.internal:5432/cni',
        ALERT_HOOK: 'https://hooks.slack.com/services/<redacted>',
        REPORTER_AUTH: 'Bearer <redacted>',
      },
    });
    const everything = JSON.stringify([r.body, (await s.portal.call(ALICE, 'GET', '/fleet')).body]);
    for (const secret of [PASSWORD, WEBHOOK_SECRET, TOKEN.slice(0, 30)])
      expect(everything).not.toContain(secret);
  });
});
