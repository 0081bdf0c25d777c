import { Sandbox } from '../Sandbox';
import type { Scenario } from './index';

/** IAM enforcement as a scenario setting: per account, off unless asked, the run's options win. */
const twoAccounts = (authorization?: Scenario['authorization']): Scenario => ({
  name: 'two-accounts',
  description: 'prod and dev, no clusters',
  async seed(sb) {
    sb.addAccount('prod', '111111111111');
    sb.addAccount('dev', '222222222222');
  },
  ...(authorization ? { authorization } : {}),
});
const READ = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'eks:Describe*', Resource: '*' }],
};

describe('scenario authorization', () => {
  const started: Sandbox[] = [];
  const start = async (...args: Parameters<typeof Sandbox.start>) => {
    const sb = await Sandbox.start(...args);
    started.push(sb);
    return sb;
  };
  afterAll(async () => {
    await Promise.all(started.map((sb) => sb.stop()));
  });

  it('leaves every account an administrator by default', async () => {
    const sb = await start({ scenario: twoAccounts() });
    expect(sb.authorization.enforcedAccounts()).toEqual([]);
  });

  it('enforces the accounts the definition names, and the run’s options override per account', async () => {
    const sb = await start({
      scenario: twoAccounts({ prod: { enforce: true }, dev: { enforce: true } }),
      scenarioOptions: {
        authorization: {
          dev: { enforce: false },
          '111111111111': { enforce: true, userPolicies: { read: READ } },
        },
      },
    });
    expect(sb.authorization.enforcedAccounts()).toEqual(['111111111111']);
    // The user policies are IAM state: a managed policy attached to the keys' user.
    expect(
      sb.services.iam.identityPolicies('arn:aws:iam::111111111111:user/sandbox-admin'),
    ).toEqual([
      { id: 'arn:aws:iam::111111111111:policy/read', type: 'user-managed', document: READ },
    ]);
  });

  it('refuses settings for an account the scenario does not have', async () => {
    await expect(
      Sandbox.start({ scenario: twoAccounts({ staging: { enforce: true } }) }),
    ).rejects.toThrow("sandbox: no account 'staging'");
  });
});
