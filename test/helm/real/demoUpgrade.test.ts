/**
 * The demo fleet's seeded Helm release on ml-prod-use1 (chart 2.2.2, as a customer's install
 * leaves it) upgraded by real helm v3 with the real inference umbrella (REAL_CHARTS_DIR) and
 * `--reuse-values`: helm then renders the new chart with the stored release's chart defaults and
 * values, and maps its Issuer and Certificate through the CRDs on the cluster, so both must be
 * what a real install leaves.
 */
import { Sandbox } from '@hyperpod/sandbox';
import { requireRealChartsDir } from '../../support/realCharts';
import { kubeTools, type KubeTools } from '../kubeToolsHarness';
import { packagedInferenceUmbrella } from './realUmbrella';
import { commandLine } from '../../support/commandLine';

const RELEASE = 'hyperpod-inference-operator';

describe('helm upgrade --reuse-values of the demo release with the real umbrella', () => {
  let sb: Sandbox;
  let t: KubeTools;
  let valuesBefore: unknown;

  beforeAll(async () => {
    requireRealChartsDir();
    sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 10 });
    t = kubeTools(sb.kubeconfig('ml-prod-use1'));
    const v = await t.helm(['get', 'values', RELEASE, '-n', 'kube-system', '-o', 'json']);
    valuesBefore = JSON.parse(v.stdout);
  }, 120_000);
  afterAll(async () => {
    await sb?.stop();
  });

  it('succeeds, deploys a new revision and keeps the values', async () => {
    const chart = packagedInferenceUmbrella();
    const r = await t.helm(
      commandLine`upgrade ${RELEASE} ${chart} -n kube-system --reuse-values --wait --timeout 120s`,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const history = JSON.parse(
      (await t.helm(['history', RELEASE, '-n', 'kube-system', '-o', 'json'])).stdout,
    ) as { revision: number; status: string; chart: string }[];
    expect(history.at(-1)).toMatchObject({ status: 'deployed', chart: `${RELEASE}-2.2.2` });
    expect(history.at(-2)).toMatchObject({ status: 'superseded' });
    const after = await t.helm(['get', 'values', RELEASE, '-n', 'kube-system', '-o', 'json']);
    expect(JSON.parse(after.stdout)).toEqual(valuesBefore);
    const claim = await t.kubectl([
      'get',
      'pvc',
      's3-claim',
      '-n',
      'kube-system',
      '-o',
      'jsonpath={.status.phase}',
    ]);
    expect(claim.stdout).toBe('Bound');
  }, 240_000);
});
