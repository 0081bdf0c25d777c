import helm3 from '../helm/fixtures/storage-shapes.helm3.json';
import { manifestCharts } from './helmComponents';

describe('manifestCharts', () => {
  it('reads the chart and its version from a template that begins with --- (---, # Source:, ---, object)', () => {
    const m =
      '---\n# Source: io/charts/s3/templates/node.yaml\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: s3-csi-node\n  labels:\n    helm.sh/chart: aws-mountpoint-s3-csi-driver-1.14.1\n';
    expect(manifestCharts(m)).toEqual([{ path: ['io', 's3'], version: '1.14.1' }]);
  });

  it('finds every chart that rendered objects in a release real helm stored', () => {
    expect(manifestCharts(helm3.release.manifest).map((c) => c.path)).toEqual([
      ['storage-shapes'],
      ['storage-shapes', 'sub'],
    ]);
  });
});
