/**
 * The sandbox stores the published inference chart 2.2.2's values.yaml in seeded releases (so
 * `helm upgrade --reuse-values` with the real chart renders): it must be that file, key for key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { inferenceOperatorDefaultValues } from '@hyperpod/sandbox';
import { REAL_INFERENCE_CHART, requireRealChartsDir } from '../../support/realCharts';

describe('seeded inference operator releases', () => {
  it('store the values.yaml of the published chart 2.2.2', () => {
    const real = parse(
      readFileSync(join(requireRealChartsDir(), REAL_INFERENCE_CHART, 'values.yaml'), 'utf8'),
    ) as unknown;
    expect(inferenceOperatorDefaultValues('2.2.2')).toEqual(real);
  });
});
