import { formatAddonVersions } from '../../cli/src/format/formatAddonVersions';
import { formatDrift } from '../../cli/src/format/formatDrift';
import { formatStatus } from '../../cli/src/format/formatStatus';
import { colourEnabled } from '../../cli/src/format/colour';
import type { AddonVersionsReport } from '../../cli/src/AddonVersionsReport';
import { batchReport, prodReport, unreachableReport } from './fixtures/reports';

const plain = { wide: false, colour: false };
const ESC = String.fromCharCode(27);
const stripAnsi = (s: string) =>
  s
    .split(ESC)
    .map((part, i) => (i === 0 ? part : part.replace(/^\[\d+m/, '')))
    .join('');
const lines = (s: string) => s.trimEnd().split('\n');
const cols = (line: string) => line.split(/ {2,}/);

describe('status table', () => {
  const out = formatStatus([prodReport, batchReport, unreachableReport], plain);

  it('starts with CLUSTER, ADDON, VIA, VERSION, HEALTH, REASON and has one row per add-on or scan error', () => {
    const [head, ...rows] = lines(out);
    expect(cols(head!)).toEqual(['CLUSTER', 'ADDON', 'VIA', 'VERSION', 'HEALTH', 'REASON']);
    expect(rows).toHaveLength(4);
    expect(cols(rows[0]!).slice(0, 5)).toEqual([
      'ml-prod-use1',
      'amazon-sagemaker-hyperpod-inference',
      'helm',
      '2.2.2 (chart)',
      'Healthy',
    ]);
    expect(cols(rows[2]!).slice(0, 5)).toEqual([
      'ml-batch-use1',
      'coredns',
      'addon',
      'v1.11.3-eksbuild.1',
      'Degraded',
    ]);
  });

  it('writes <none> for unset values: an empty reason, and a cluster that could not be read', () => {
    const [, , vpc, , legacy] = lines(out);
    expect(cols(vpc!).at(-1)).toBe('<none>');
    expect(cols(legacy!).slice(0, 5)).toEqual([
      'ml-legacy-use1',
      '<none>',
      '<none>',
      '<none>',
      'Unknown',
    ]);
    expect(cols(legacy!).at(-1)).toBe('describe cluster fa…');
  });

  it('fits table output into 80 columns by shortening REASON, with no trailing blanks', () => {
    const short = {
      ...batchReport,
      cluster: { ...batchReport.cluster, name: 'ml-b' },
      addons: [
        {
          ...batchReport.addons[0]!,
          addon: { ...batchReport.addons[0]!.addon!, version: 'v1.11.3' },
        },
      ],
    };
    const narrow = lines(
      formatStatus([short, { ...unreachableReport, cluster: { name: 'ml-l' } }], plain),
    );
    for (const l of narrow) expect(l.length).toBeLessThanOrEqual(80);
    expect(narrow[1]!.length).toBe(80);
    expect(narrow[1]).toMatch(/…$/);
    for (const l of lines(out)) expect(l).toBe(l.trimEnd());
  });

  it('never cuts names or versions: with long names REASON keeps at least 20 characters', () => {
    const reasons = lines(out)
      .slice(1)
      .map((l) => cols(l).at(-1)!);
    expect(reasons[0]).toHaveLength(20);
    expect(reasons[0]).toBe('Helm release hyperp…');
    expect(out).toContain('amazon-sagemaker-hyperpod-inference');
  });

  it('wide output adds K8S, ACCOUNT, REGION, HELM-RELEASE, MIGRATE and never truncates', () => {
    const wide = formatStatus([prodReport], { wide: true, colour: false });
    const [head, helmRow] = lines(wide);
    expect(cols(head!)).toEqual([
      'CLUSTER',
      'ADDON',
      'VIA',
      'VERSION',
      'HEALTH',
      'K8S',
      'ACCOUNT',
      'REGION',
      'HELM-RELEASE',
      'MIGRATE',
      'REASON',
    ]);
    expect(cols(helmRow!).slice(5, 10)).toEqual([
      '1.31',
      '111111111111',
      'us-east-1',
      'kube-system/hyperpod-inference-operator',
      'true',
    ]);
    expect(helmRow).toContain(prodReport.addons[0]!.reason);
  });

  it('colours HEALTH only when asked, without changing the alignment', () => {
    expect(out).not.toContain(ESC);
    const coloured = formatStatus([batchReport], { wide: false, colour: true });
    expect(coloured).toContain('\u001b[31mDegraded\u001b[0m');
    expect(stripAnsi(coloured)).toBe(formatStatus([batchReport], plain));
  });

  it('lists a cluster with nothing installed as one <none> row', () => {
    const empty = { ...prodReport, addons: [], readiness: undefined };
    const [, row] = lines(formatStatus([empty], { wide: false, colour: false, maxWidth: 120 }));
    expect(cols(row!)).toEqual([
      'ml-prod-use1',
      '<none>',
      '<none>',
      '<none>',
      'Healthy',
      'no add-ons or Helm installs found',
    ]);
  });
});

describe('drift table', () => {
  it('shows VERSION, DEFAULT, LATEST, STATUS and NEXT-K8S readiness (ready, upgrade, blocked)', () => {
    const [head, ...rows] = lines(formatDrift([prodReport, batchReport], plain));
    expect(cols(head!)).toEqual([
      'CLUSTER',
      'ADDON',
      'VERSION',
      'DEFAULT',
      'LATEST',
      'STATUS',
      'NEXT-K8S',
    ]);
    expect(cols(rows[0]!)).toEqual([
      'ml-prod-use1',
      'amazon-sagemaker-hyperpod-inference',
      'v1.1.0-eksbuild.1',
      'v1.1.0-eksbuild.1',
      'v1.2.0-eksbuild.1',
      'default',
      'upgrade',
    ]);
    expect(cols(rows[1]!)).toEqual([
      'ml-prod-use1',
      'vpc-cni',
      'v1.19.2-eksbuild.1',
      'v1.19.2-eksbuild.1',
      'v1.19.2-eksbuild.1',
      'latest',
      'ready',
    ]);
    expect(cols(rows[2]!)).toEqual([
      'ml-batch-use1',
      'coredns',
      'v1.11.3-eksbuild.1',
      'v1.11.3-eksbuild.2',
      'v1.11.4-eksbuild.2',
      'behind-default',
      'blocked',
    ]);
  });

  it('wide output names the target Kubernetes version and the version to reach first', () => {
    const [head, row] = lines(formatDrift([prodReport], { wide: true, colour: false }));
    expect(cols(head!)).toEqual([
      'CLUSTER',
      'ADDON',
      'VIA',
      'VERSION',
      'DEFAULT',
      'LATEST',
      'STATUS',
      'NEWER',
      'K8S',
      'NEXT-K8S',
      'READINESS',
      'REQUIRED',
    ]);
    expect(cols(row!).slice(7)).toEqual(['1', '1.31', '1.32', 'upgrade', 'v1.2.0-eksbuild.1']);
  });

  it('shows <none> where nothing is known: a Helm install without drift, a cluster without readiness', () => {
    const noDrift = {
      ...prodReport,
      readiness: undefined,
      addons: [{ ...prodReport.addons[0]!, drift: undefined }],
    };
    const [, row] = lines(formatDrift([noDrift], plain));
    expect(cols(row!)).toEqual([
      'ml-prod-use1',
      'amazon-sagemaker-hyperpod-inference',
      '2.2.2 (chart)',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });
});

describe('addons versions table', () => {
  const report: AddonVersionsReport = {
    schemaVersion: 1,
    cluster: { name: 'ml-prod-use1', region: 'us-east-1', kubernetesVersion: '1.31' },
    addonName: 'amazon-sagemaker-hyperpod-inference',
    kubernetesVersion: '1.31',
    installed: 'v1.1.0-eksbuild.1',
    default: 'v1.1.0-eksbuild.1',
    latest: 'v1.2.0-eksbuild.1',
    versions: [
      {
        version: 'v1.2.0-eksbuild.1',
        default: false,
        installed: false,
        kubernetesVersions: ['1.31', '1.32', '1.33'],
      },
      {
        version: 'v1.1.0-eksbuild.1',
        default: true,
        installed: true,
        kubernetesVersions: ['1.30', '1.31'],
      },
    ],
    errors: [],
  };

  it('lists versions newest first, marking the default and the installed one', () => {
    const [head, ...rows] = lines(formatAddonVersions([report], plain));
    expect(cols(head!)).toEqual(['VERSION', 'DEFAULT', 'INSTALLED']);
    expect(rows.map(cols)).toEqual([
      ['v1.2.0-eksbuild.1', 'false', 'false'],
      ['v1.1.0-eksbuild.1', 'true', 'true'],
    ]);
  });

  it('puts CLUSTER first for several clusters, and wide lists the Kubernetes versions', () => {
    const [head, row] = lines(
      formatAddonVersions([report, { ...report, cluster: { name: 'ml-dev-use1' } }], {
        wide: true,
        colour: false,
      }),
    );
    expect(cols(head!)).toEqual([
      'CLUSTER',
      'VERSION',
      'DEFAULT',
      'INSTALLED',
      'K8S',
      'KUBERNETES-VERSIONS',
    ]);
    expect(cols(row!)).toEqual([
      'ml-prod-use1',
      'v1.2.0-eksbuild.1',
      'false',
      'false',
      '1.31',
      '1.31,1.32,1.33',
    ]);
  });
});

describe('colour', () => {
  it('is on for a TTY only, and never when NO_COLOR is set to something', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });
});
