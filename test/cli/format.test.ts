import {
  formatAddonVersions,
  formatDrift,
  formatStatus,
  formatMigrationHistory,
  MigrationProgress,
  colourEnabled,
  type AddonVersionsReport,
} from 'kubectl-hyperpod/testing';
import { explainAddonIssue } from '@hyperpod/core';
import { batchReport, prodReport, unreachableReport } from './fixtures/reports';

const plain = { wide: false, colour: false };
/** A terminal 80 columns wide: only then is REASON shortened. */
const terminal = { ...plain, maxWidth: 80 };
const ESC = String.fromCharCode(27);
const stripAnsi = (s: string) =>
  s
    .split(ESC)
    .map((part, i) => (i === 0 ? part : part.replace(/^\[\d+m/, '')))
    .join('');
const lines = (s: string) => s.trimEnd().split('\n');
const cols = (line: string) => line.split(/ {2,}/);

describe('status table', () => {
  const out = formatStatus([prodReport, batchReport, unreachableReport], terminal);

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
      formatStatus([short, { ...unreachableReport, cluster: { name: 'ml-l' } }], terminal),
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

  it('never truncates when not written to a terminal (a pipe, a CI log), as kubectl', () => {
    const piped = formatStatus([prodReport, batchReport, unreachableReport], plain);
    expect(piped).not.toContain('…');
    for (const a of [...prodReport.addons, ...batchReport.addons])
      expect(piped).toContain(a.reason);
    expect(piped).toContain(unreachableReport.errors[0]!.message);
  });

  it('wide output ends with FIX: the top fix of each add-on that is not Healthy, <none> otherwise', () => {
    // coredns as EKS reports it: DEGRADED with a ConfigurationConflict issue.
    const issue = explainAddonIssue({
      code: 'ConfigurationConflict',
      message:
        'Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\nConfigMap coredns - .data.Corefile',
      resourceIds: [],
    });
    const coredns = {
      ...batchReport.addons[0]!,
      addon: { ...batchReport.addons[0]!.addon!, issues: [issue] },
    };
    const report = { ...batchReport, addons: [coredns, ...prodReport.addons.slice(1)] };
    const [head, ...rows] = lines(formatStatus([report], { wide: true, colour: false }));
    expect(cols(head!).at(-1)).toBe('FIX');
    const row = rows.find((r) => cols(r)[1] === 'coredns')!;
    expect(cols(row).at(-1)).toBe(issue.fix);
    const healthy = rows.find((r) => cols(r)[4] === 'Healthy')!;
    expect(cols(healthy).at(-1)).toBe('<none>');
  });

  it('wide output adds K8S, ACCOUNT, REGION, HELM-RELEASE, MIGRATE and never truncates', () => {
    const wide = formatStatus([prodReport], { wide: true, colour: false });
    const [head, helmRow] = lines(wide);
    expect(cols(head!)).toEqual(
      'CLUSTER ADDON VIA VERSION HEALTH K8S ACCOUNT REGION HELM-RELEASE MIGRATE REASON FIX'.split(
        ' ',
      ),
    );
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
  it('shows VIA, VERSION, DEFAULT, LATEST, STATUS and NEXT-K8S readiness (ready, upgrade, blocked)', () => {
    const [head, ...rows] = lines(formatDrift([prodReport, batchReport], plain));
    expect(cols(head!)).toEqual(
      'CLUSTER ADDON VIA VERSION DEFAULT LATEST STATUS NEXT-K8S'.split(' '),
    );
    // A Helm install: VERSION is the add-on version carrying the chart's software.
    expect(cols(rows[0]!)).toEqual([
      'ml-prod-use1',
      'amazon-sagemaker-hyperpod-inference',
      'helm',
      'v1.1.0-eksbuild.1',
      'v1.1.0-eksbuild.1',
      'v1.2.0-eksbuild.1',
      'default',
      'upgrade',
    ]);
    expect(cols(rows[1]!)).toEqual([
      'ml-prod-use1',
      'vpc-cni',
      'addon',
      'v1.19.2-eksbuild.1',
      'v1.19.2-eksbuild.1',
      'v1.19.2-eksbuild.1',
      'latest',
      'ready',
    ]);
    expect(cols(rows[2]!)).toEqual([
      'ml-batch-use1',
      'coredns',
      'addon',
      'v1.11.3-eksbuild.1',
      'v1.11.3-eksbuild.2',
      'v1.11.4-eksbuild.2',
      'behind-default',
      'blocked',
    ]);
  });

  it('wide keeps the table’s columns and meanings and appends CHART, NEWER, K8S, TARGET-K8S, REQUIRED', () => {
    const narrow = lines(formatDrift([prodReport], plain)).map(cols);
    const wide = lines(formatDrift([prodReport], { wide: true, colour: false })).map(cols);
    expect(wide[0]).toEqual([...narrow[0]!, 'CHART', 'NEWER', 'K8S', 'TARGET-K8S', 'REQUIRED']);
    // NEXT-K8S is the verdict in both; the Kubernetes version it is judged for is TARGET-K8S.
    expect(wide[1]!.slice(0, 8)).toEqual(narrow[1]);
    expect(wide[1]!.slice(8)).toEqual(['2.2.2', '1', '1.31', '1.32', 'v1.2.0-eksbuild.1']);
    expect(wide[2]!.slice(8)).toEqual(['<none>', '0', '1.31', '1.32', '<none>']);
  });

  it('a Helm chart whose software no add-on version carries: VERSION, DEFAULT, LATEST and STATUS are <none>, the chart version is CHART', () => {
    const noDrift = {
      ...prodReport,
      readiness: undefined,
      addons: [{ ...prodReport.addons[0]!, drift: undefined }],
    };
    const [, row] = lines(formatDrift([noDrift], plain));
    expect(cols(row!)).toEqual([
      'ml-prod-use1',
      'amazon-sagemaker-hyperpod-inference',
      'helm',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
    const [, wide] = lines(formatDrift([noDrift], { wide: true, colour: false }));
    expect(cols(wide!)[8]).toBe('2.2.2');
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

describe('migration runs', () => {
  it('history says a run whose journal stops mid-run is interrupted', () => {
    const [head, row] = lines(
      formatMigrationHistory(
        [
          {
            runId: 'mig-20261206-0a1b',
            clusterName: 'ml-prod-use1',
            clusterArn: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
            profile: 'hyperpod-inference',
            createdAt: '2026-12-06T07:00:00.000Z',
            lastEvent: 'action-started',
            updatedAt: '2026-12-06T07:01:00.000Z',
          },
        ],
        plain,
      ),
    );
    expect(cols(head!)).toEqual(['RUN', 'CLUSTER', 'PROFILE', 'CREATED', 'STATE', 'LAST EVENT']);
    expect(cols(row!).slice(4)).toEqual(['interrupted', 'action-started']);
  });

  it('progress numbers steps as the plan does, so a resumed run does not count from 1 again', () => {
    const steps = ['iam', 'tag', 'scale', 'addon', 'wait'].map((id) => ({ id }));
    const p = new MigrationProgress({ colour: false, startedAt: 0, now: () => 0, steps });
    // Resumed after the first two steps: the executor starts at the third.
    const line = p.line({ at: '', type: 'step-started', message: 'Scale down', stepId: 'scale' });
    expect(line).toBe('[0.0s] ▶ step 3/5: Scale down\n');
  });
});
