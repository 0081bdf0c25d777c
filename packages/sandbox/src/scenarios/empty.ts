import type { Scenario } from './index';

/** Two accounts and nothing else: tests build exactly the state they need on top. */
export const emptyScenario: Scenario = {
  name: 'empty',
  description: 'two accounts (prod 111111111111, dev 222222222222), no clusters',
  async seed(sandbox) {
    sandbox.addAccount('prod', '111111111111');
    sandbox.addAccount('dev', '222222222222');
  },
};
