import { parse } from 'yaml';
import { sandboxAppConfig } from './cli';
import { Sandbox } from './Sandbox';

describe('sandboxAppConfig', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'demo' });
  });
  afterAll(() => sb.stop());

  it('lists every sandbox cluster for the portal, with its account profile, context and an owner per account', () => {
    const config = parse(sandboxAppConfig(sb, '/tmp/out/kubeconfig')) as {
      hyperpod: {
        kubeconfig: string;
        aws: { endpoint: string };
        fleet: { clusters: Record<string, string>[] };
      };
    };
    expect(config.hyperpod.kubeconfig).toBe('/tmp/out/kubeconfig');
    expect(config.hyperpod.aws.endpoint).toBe(sb.awsEndpoint);
    const [first, second] = sb.accounts;
    const owners = {
      [first!.accountId]: 'group:default/ml-platform',
      [second!.accountId]: 'group:default/research',
    };
    expect(config.hyperpod.fleet.clusters).toEqual(
      sb.clusters.map((c) => ({
        name: c.name,
        region: c.region,
        accountId: c.accountId,
        profile: sb.account(c.accountId).alias,
        context: c.context,
        owner: owners[c.accountId],
      })),
    );
    expect(new Set(config.hyperpod.fleet.clusters.map((c) => c.owner)).size).toBe(2);
  });
});
