/** @jest-environment jsdom */
import { renderInTestApp } from '@backstage/test-utils';
import { configDrift, type ClusterReport } from '@hyperpod/core';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { demoReport } from '../common/testFixtures';
import { AddonList, ReadinessSummary } from './AddonList';

/** The accordion of one add-on, found by its heading. */
function addonPanel(name: string): HTMLElement {
  const heading = screen.getByRole('heading', { name });
  return heading.closest('.MuiAccordion-root') as HTMLElement;
}

describe('AddonList', () => {
  it('explains each EKS health issue with its fix and the conflicting fields', async () => {
    await renderInTestApp(<AddonList report={demoReport('batch')} />);
    const coredns = addonPanel('coredns');
    // Degraded: open at first, the word next to the colour.
    expect(within(coredns).getByRole('button', { expanded: true })).toBeInTheDocument();
    expect(within(coredns).getAllByLabelText(/^health Degraded/)[0]).toHaveTextContent('Degraded');
    expect(within(coredns).getByText('Health issues (1)')).toBeVisible();
    expect(within(coredns).getByText('Configuration conflict')).toBeVisible();
    expect(
      within(coredns).getByText(/Fields the add-on manages are owned by another field manager/),
    ).toBeVisible();
    expect(
      within(coredns).getByText(
        /^Fix: See who owns the listed fields and let EKS take them over: kubectl hyperpod resolve-conflicts \S+ --dry-run/,
      ),
    ).toBeVisible();
    expect(within(coredns).getByText('.data.Corefile')).toBeVisible();
    expect(
      within(coredns).getByText('.spec.template.spec.containers[name="coredns"].image'),
    ).toBeVisible();
    expect(within(coredns).getByText('Resources: kube-system/coredns')).toBeVisible();
  });

  it('shows findings with their fix', async () => {
    await renderInTestApp(<AddonList report={demoReport('batch')} />);
    const inference = addonPanel('amazon-sagemaker-hyperpod-inference');
    expect(within(inference).getByText('Not enough ready replicas')).toBeVisible();
    expect(within(inference).getByText('Findings (1)')).toBeVisible();
    expect(
      within(inference).getByText(
        'Deployment hyperpod-inference-system/hyperpod-inference-controller-manager: 0/2 ready',
      ),
    ).toBeVisible();
    expect(
      within(inference).getByText(
        'Fix: kubectl describe deployment hyperpod-inference-controller-manager -n hyperpod-inference-system',
      ),
    ).toBeVisible();
  });

  it('compares the installed version with the default and the newest compatible one', async () => {
    await renderInTestApp(<AddonList report={demoReport('staging')} />);
    const inference = addonPanel('amazon-sagemaker-hyperpod-inference');
    // v1.0.0 on 1.31: older than the default v1.1.0, v1.2.0 is the newest.
    expect(within(inference).getByLabelText(/^version drift: behind default/)).toBeVisible();
    expect(
      within(inference).getByText(
        /older than the default version for Kubernetes 1\.31; 3 newer compatible/,
      ),
    ).toBeVisible();
    expect(
      within(inference).getByText(
        'Default: v1.1.0-eksbuild.1 · Latest compatible: v1.2.0-eksbuild.1',
      ),
    ).toBeVisible();
  });

  it('keeps healthy add-ons collapsed until opened from the keyboard', async () => {
    await renderInTestApp(<AddonList report={demoReport('research')} />);
    const coredns = addonPanel('coredns');
    const toggle = within(coredns).getByRole('button', { expanded: false });
    const drift = within(coredns).getByText(
      /at the newest version compatible with Kubernetes 1\.32/,
    );
    expect(drift).not.toBeVisible();
    toggle.focus();
    await userEvent.keyboard('{Enter}');
    expect(within(coredns).getByRole('button', { expanded: true })).toBeInTheDocument();
    await waitFor(() => expect(drift).toBeVisible());
  });

  it('names the Helm release, the chart and what a migration would install', async () => {
    await renderInTestApp(<AddonList report={demoReport('canary')} />);
    const inference = addonPanel('amazon-sagemaker-hyperpod-inference');
    expect(within(inference).getAllByText('Helm').length).toBeGreaterThan(0);
    expect(
      within(inference).getByText(
        /Helm release kube-system\/hyperpod-inference-operator revision 3 \(pending-upgrade\): chart hyperpod-inference-operator 2\.2\.2, app 3\.2/,
      ),
    ).toBeVisible();
    expect(
      within(inference).getByText(
        /A migration would install add-on version v1\.1\.0-eksbuild\.1 \(the default for Kubernetes 1\.31\)/,
      ),
    ).toBeVisible();
    // The stuck release: the finding says how to get out of it.
    expect(
      within(inference).getByText(/^Fix: helm history hyperpod-inference-operator -n kube-system/),
    ).toBeVisible();
  });

  it('warns when a Helm release and the add-on both install it, and shows configuration drift', async () => {
    const base = demoReport('batch');
    const vpc = base.addons.find((a) => a.name === 'vpc-cni')!;
    const report: ClusterReport = {
      ...base,
      addons: [
        {
          ...vpc,
          installedVia: 'both',
          helm: {
            release: 'aws-vpc-cni',
            namespace: 'kube-system',
            revision: 4,
            status: 'deployed',
            chart: 'aws-vpc-cni',
            chartVersion: '1.19.2',
          },
          configDrift: configDrift(
            { env: { WARM_IP_TARGET: '5', ENABLE_PREFIX_DELEGATION: 'true' } },
            { env: { WARM_IP_TARGET: '10' }, init: { env: { DISABLE_TCP_EARLY_DEMUX: 'true' } } },
          ),
        },
      ],
    };
    await renderInTestApp(<AddonList report={report} />);
    const panel = addonPanel('vpc-cni');
    expect(within(panel).getAllByText('Helm + add-on').length).toBeGreaterThan(0);
    expect(
      within(panel).getByText(/both install vpc-cni and fight over the same objects/),
    ).toBeVisible();
    expect(within(panel).getByText('changed: env.WARM_IP_TARGET')).toBeVisible();
    expect(within(panel).getByText('missing: env.ENABLE_PREFIX_DELEGATION')).toBeVisible();
    expect(within(panel).getByText('extra: init.env.DISABLE_TCP_EARLY_DEMUX')).toBeVisible();
  });

  it('says when the configuration matches what was declared', async () => {
    const base = demoReport('research');
    const report: ClusterReport = {
      ...base,
      addons: [{ ...base.addons[0]!, configDrift: { changed: [], missing: [], extra: [] } }],
    };
    await renderInTestApp(<AddonList report={report} />);
    expect(screen.getByText('The configuration matches what was declared.')).toBeInTheDocument();
  });

  it('shows readiness for the next Kubernetes version per add-on and for the cluster', async () => {
    const report = demoReport('legacy');
    await renderInTestApp(
      <>
        <ReadinessSummary report={report} />
        <AddonList report={report} />
      </>,
    );
    // snapshot-controller v6.3.2 runs on 1.28 only: it must move first.
    const summary = screen.getByText(/^Not ready for Kubernetes 1\.29/);
    expect(summary).toHaveTextContent(
      'snapshot-controller: upgrade to v8.0.0-eksbuild.1 before the cluster moves to Kubernetes 1.29 (blocks the cluster upgrade)',
    );
    const snapshot = addonPanel('snapshot-controller');
    expect(within(snapshot).getByRole('button', { expanded: true })).toBeInTheDocument();
    expect(within(snapshot).getByText('Kubernetes 1.29')).toBeVisible();
    expect(within(snapshot).getByText(/upgrade to v8\.0\.0-eksbuild\.1 before/)).toBeVisible();
    // kube-proxy versions follow the Kubernetes minor: after, and not blocking.
    expect(
      within(addonPanel('kube-proxy')).getByText(
        /update to v1\.29\.\d+-eksbuild\.\d+ right after the control plane moves to Kubernetes 1\.29/,
      ),
    ).toBeInTheDocument();
  });

  it('says a ready cluster is ready', async () => {
    await renderInTestApp(<ReadinessSummary report={demoReport('research')} />);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Ready for Kubernetes 1.33: every add-on has a version that runs there.',
    );
  });

  it('says so when there is no add-on', async () => {
    const report: ClusterReport = { ...demoReport('research'), addons: [] };
    await renderInTestApp(<AddonList report={report} />);
    expect(screen.getByText('No add-ons were found on this cluster.')).toBeInTheDocument();
  });
});
