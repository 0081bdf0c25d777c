/** @jest-environment jsdom */
import { INFERENCE_ADDON, planActions, type MigrationPlan } from '@hyperpod/core';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { formatTimestamp } from '../common/formatTimestamp';
import { demoReport, fakeHyperpodApi } from '../common/testFixtures';
import { MigrationSection } from './MigrationSection';
import {
  BLOCKED_PLAN,
  PROD_CLUSTER,
  RUN_ID,
  acceptedPlan,
  journalUpTo,
  rolledBackJournal,
  runView,
  succeededJournal,
} from './migrationFixtures';
import { backendError, deferred, POLL_MS, polls, renderWithApis, steppedPolls } from './testApp';

const PROD = PROD_CLUSTER.id;
const ACTIONS = planActions(acceptedPlan()).length;

async function previewAndAccept(planMigration: jest.Mock) {
  await userEvent.click(await screen.findByRole('button', { name: 'Preview plan' }));
  await userEvent.click(await screen.findByRole('checkbox', { name: /Accept losing image\.tag/ }));
  await screen.findByText('Nothing blocks this plan.');
  expect(planMigration).toHaveBeenLastCalledWith(PROD, {
    profile: 'hyperpod-inference',
    acceptDrops: ['image.tag'],
  });
}

async function startIt() {
  await userEvent.click(screen.getByRole('button', { name: 'Start migration' }));
  const dialog = screen.getByRole('dialog', {
    name: `Migrate ${INFERENCE_ADDON} to its EKS add-on?`,
  });
  expect(dialog).toHaveTextContent('Accepted as lost: image.tag.');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Start now' }));
  // The closing dialog hides the page from the accessibility tree until it is gone.
  await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
}

function planWith(plans: MigrationPlan[]) {
  let i = 0;
  return jest.fn(async () => plans[Math.min(i++, plans.length - 1)]!);
}

describe('MigrationSection', () => {
  it('renders nothing for a cluster without a Helm install', async () => {
    const { container } = await renderWithApis(
      <MigrationSection clusterId={PROD} report={demoReport('research')} />,
      { api: fakeHyperpodApi({}) },
    );
    expect(container).toBeEmptyDOMElement();
  });

  it('offers no migration of an add-on that Helm and an EKS add-on both install (as the fleet count)', async () => {
    // The fleet page counts core's migrationCandidate, which is false when both install it.
    const prod = demoReport('prod');
    const both = {
      ...prod,
      addons: prod.addons.map((a) =>
        a.migrationCandidate
          ? { ...a, installedVia: 'both' as const, migrationCandidate: false }
          : a,
      ),
    };
    const { container } = await renderWithApis(
      <MigrationSection clusterId={PROD} report={both} />,
      { api: fakeHyperpodApi({}) },
    );
    expect(container).toBeEmptyDOMElement();
  });

  it('says it is checking the permission until the answer comes', async () => {
    await renderWithApis(<MigrationSection clusterId={PROD} report={demoReport('prod')} />, {
      api: fakeHyperpodApi({}),
      permissionsPending: true,
    });
    expect(screen.getByText('Checking whether you may run migrations…')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Preview plan' })).not.toBeInTheDocument();
  });

  it('disables preview and start without hyperpod.migration.run, and says why', async () => {
    const planMigration = jest.fn();
    const { asked } = await renderWithApis(
      <MigrationSection clusterId={PROD} report={demoReport('prod')} />,
      { api: fakeHyperpodApi({ planMigration }), grants: { migrate: false } },
    );
    expect(
      await screen.findByText(
        /^You may not run migrations on this cluster \(permission hyperpod\.migration\.run\)/,
      ),
    ).toBeVisible();
    expect(screen.getByRole('button', { name: 'Preview plan' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Start migration' })).toBeDisabled();
    expect(
      screen.getByLabelText(/^Preview plan: You may not run migrations on this cluster/),
    ).toBeInTheDocument();
    expect(planMigration).not.toHaveBeenCalled();
    expect(asked).toContainEqual({ permission: 'hyperpod.migration.run', resourceRef: PROD });
  });

  it('previews the plan: every step, the resources each action touches, blockers and drops', async () => {
    const plan = deferred<MigrationPlan>();
    const planMigration = jest.fn(() => plan.promise);
    await renderWithApis(<MigrationSection clusterId={PROD} report={demoReport('prod')} />, {
      api: fakeHyperpodApi({ planMigration }),
    });
    expect(
      screen.getByText(/Installed by Helm release kube-system\/hyperpod-inference-operator/),
    ).toBeVisible();
    expect(screen.getByRole('button', { name: 'Start migration' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));
    expect(planMigration).toHaveBeenCalledWith(PROD, {
      profile: 'hyperpod-inference',
      acceptDrops: [],
    });
    expect(screen.getByText(`Planning the migration of ${INFERENCE_ADDON}…`)).toBeInTheDocument();
    plan.resolve(BLOCKED_PLAN);

    const steps = await screen.findByRole('list', { name: 'Migration steps' });
    expect(
      within(steps)
        .getAllByRole('heading')
        .map((h) => h.textContent),
    ).toEqual(BLOCKED_PLAN.steps.map((s) => s.title));
    for (const { action } of planActions(BLOCKED_PLAN)) {
      expect(within(steps).getByText(action.summary)).toBeInTheDocument();
    }
    for (const touched of [
      'IAM role SageMakerHyperPodInference-yktnsdwy-execution-role (created)',
      'IAM role HyperpodInferenceRole-ml-prod-use1 (permissions copied from)',
      'load balancer k8s-default-albllama-mlprodus (tagged)',
      'Deployment kube-system/hyperpod-inference-operator-alb (replicas 2 → 0)',
      'EKS add-on amazon-sagemaker-hyperpod-inference v1.1.0-eksbuild.1 (created)',
      'ServiceAccount kube-system/s3-csi-driver-sa (deleted, unless the add-on took it over)',
      'Helm release kube-system/hyperpod-inference-operator revision 2 (marked uninstalled, history kept)',
    ]) {
      expect(within(steps).getByText(touched)).toBeInTheDocument();
    }
    expect(within(steps).getAllByText('Undo: delete the role (and its policies)')).toHaveLength(2);

    const blockers = screen.getByRole('alert');
    expect(blockers).toHaveTextContent('The plan cannot run: 1 blocker');
    expect(blockers).toHaveTextContent(
      "Helm value image.tag has no place in the add-on (no mapping to the add-on's configuration)",
    );
    expect(
      screen.getByRole('checkbox', { name: /Accept losing image\.tag: no mapping/ }),
    ).not.toBeChecked();
    expect(
      screen.getByText(
        /aws-mountpoint-s3-csi-driver \(at least v1\.14\.1-eksbuild\.1\): moved from Helm to its add-on, version v1\.15\.0-eksbuild\.1/,
      ),
    ).toBeVisible();
    expect(
      screen.getByText('Reads 6 resources first (discovery and checks, no change)'),
    ).toBeInTheDocument();
    // Blocked: start stays disabled and says why.
    expect(screen.getByRole('button', { name: 'Start migration' })).toBeDisabled();
    expect(
      screen.getByLabelText('Start migration: The plan has 1 blocker: resolve it first.'),
    ).toBeInTheDocument();
  });

  it("shows the backend's message when it cannot plan", async () => {
    const message =
      'ml-prod-use1 has no kubeconfig context in the fleet configuration: the portal cannot migrate it';
    await renderWithApis(<MigrationSection clusterId={PROD} report={demoReport('prod')} />, {
      api: fakeHyperpodApi({
        planMigration: jest.fn(async () => {
          throw await backendError(409, 'ConflictError', message);
        }),
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Preview plan' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not plan the migration');
    expect(alert).toHaveTextContent(`Conflict (409): ${message}`);
  });

  it('starts once the drops are accepted and follows the run step by step until it succeeds', async () => {
    const planMigration = planWith([BLOCKED_PLAN, acceptedPlan()]);
    const startMigration = jest.fn(async () => ({ runId: RUN_ID, cluster: PROD_CLUSTER }));
    const { getMigration, answer } = steppedPolls();
    await renderWithApis(
      <MigrationSection clusterId={PROD} report={demoReport('prod')} pollIntervalMs={POLL_MS} />,
      { api: fakeHyperpodApi({ planMigration, startMigration, getMigration }) },
    );
    await previewAndAccept(planMigration);
    expect(screen.getByRole('checkbox', { name: /Accept losing image\.tag/ })).toBeChecked();
    await startIt();

    expect(startMigration).toHaveBeenCalledWith(PROD, {
      profile: 'hyperpod-inference',
      addonVersion: 'v1.1.0-eksbuild.1',
      acceptDrops: ['image.tag'],
    });
    expect(await screen.findByText(`Starting migration run ${RUN_ID}…`)).toBeInTheDocument();
    expect(getMigration).toHaveBeenCalledWith(RUN_ID);

    await answer(runView(journalUpTo(0)));
    expect(screen.getByText(`Migration run ${RUN_ID}: running`)).toBeVisible();
    expect(screen.getByText(/0 of \d+ actions done/)).toBeVisible();

    await answer(runView(journalUpTo(3)));
    expect(await screen.findByText(new RegExp(`3 of ${ACTIONS} actions done`))).toBeVisible();
    const journal = screen.getByRole('list', { name: `Journal of run ${RUN_ID}` });
    const entries = within(journal)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(entries).toHaveLength(7);
    // The time of day in the reader's locale and zone ("9:21:00 AM" in en-US, UTC).
    const started = formatTimestamp(runView(journalUpTo(3)).journal[0]!.at)!.clock;
    expect(entries[0]).toBe(`${started} Run started by user:default/jane.doe (hyperpod portal)`);
    expect(entries[1]).toMatch(
      /Started · IAM roles: create IAM role SageMakerHyperPodInference-yktnsdwy-execution-role/,
    );
    expect(entries[2]).toMatch(/Done · IAM roles: create IAM role SageMakerHyperPodInference/);
    expect(
      screen.getByRole('progressbar', { name: `Migration progress: 3 of ${ACTIONS} actions done` }),
    ).toBeInTheDocument();

    await answer(runView(succeededJournal(), { active: false }));
    expect(await screen.findByText(`Migration run ${RUN_ID}: succeeded`)).toBeVisible();
    expect(screen.getByText(new RegExp(`${ACTIONS} of ${ACTIONS} actions done`))).toBeVisible();
    expect(
      screen.getByText(
        /amazon-sagemaker-hyperpod-inference v1\.1\.0-eksbuild\.1 now runs as an EKS add-on/,
      ),
    ).toBeVisible();
    expect(within(journal).getAllByRole('listitem').at(-1)).toHaveTextContent('Run succeeded');
    // Ended: no more polls.
    await new Promise((r) => setTimeout(r, 10 * POLL_MS));
    expect(getMigration).toHaveBeenCalledTimes(3);
    expect(screen.getByRole('button', { name: 'Start migration' })).toBeDisabled();
  });

  it("shows the backend's refusal to start", async () => {
    const message =
      'migration lock kube-system/kubectl-hyperpod-migration is held by user:default/sam.ops (run ml-prod-use1-20251103-0900-1b2c) until 2025-11-03T09:35:00.000Z; nothing was changed';
    await renderWithApis(<MigrationSection clusterId={PROD} report={demoReport('prod')} />, {
      api: fakeHyperpodApi({
        planMigration: planWith([BLOCKED_PLAN, acceptedPlan()]),
        startMigration: jest.fn(async () => {
          throw await backendError(409, 'ConflictError', message);
        }),
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Preview plan' }));
    await userEvent.click(
      await screen.findByRole('checkbox', { name: /Accept losing image\.tag/ }),
    );
    await screen.findByText('Nothing blocks this plan.');
    await startIt();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The migration did not start');
    expect(alert).toHaveTextContent(`Conflict (409): ${message}`);
    // The plan stays to look at, and start can be tried again.
    expect(screen.getByRole('list', { name: 'Migration steps' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start migration' })).toBeEnabled();
  });

  it('rolls a succeeded run back and follows the rollback', async () => {
    const rollbackMigration = jest.fn(async () => undefined);
    const getMigration = polls([runView(succeededJournal(), { active: false })]);
    await renderWithApis(
      <MigrationSection clusterId={PROD} report={demoReport('prod')} pollIntervalMs={POLL_MS} />,
      {
        api: fakeHyperpodApi({
          planMigration: planWith([BLOCKED_PLAN, acceptedPlan()]),
          startMigration: jest.fn(async () => ({ runId: RUN_ID, cluster: PROD_CLUSTER })),
          getMigration,
          rollbackMigration,
        }),
      },
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Preview plan' }));
    await userEvent.click(
      await screen.findByRole('checkbox', { name: /Accept losing image\.tag/ }),
    );
    await screen.findByText('Nothing blocks this plan.');
    await startIt();
    expect(await screen.findByText(`Migration run ${RUN_ID}: succeeded`)).toBeVisible();

    getMigration.mockImplementation(
      polls([
        runView([...succeededJournal(), rolledBackJournal().at(-2)!], { active: true }),
        runView(rolledBackJournal(), { active: false }),
      ]),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Roll back' }));
    const dialog = screen.getByRole('dialog', { name: `Roll back migration run ${RUN_ID}?` });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Roll back now' }));
    expect(rollbackMigration).toHaveBeenCalledWith(RUN_ID);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    expect(await screen.findByText(`Migration run ${RUN_ID}: rolled back`)).toBeVisible();
    expect(
      screen.getByText('Rolled back: the cluster is as the backup recorded it before the run.'),
    ).toBeVisible();
    const journal = screen.getByRole('list', { name: `Journal of run ${RUN_ID}` });
    expect(within(journal).getAllByRole('listitem').at(-2)).toHaveTextContent(
      'Rollback started by user:default/sam.ops (hyperpod portal)',
    );
    expect(within(journal).getAllByRole('listitem').at(-1)).toHaveTextContent('Rolled back');
    expect(screen.queryByRole('button', { name: 'Roll back' })).not.toBeInTheDocument();
  });
});

describe('MigrationSection run history', () => {
  const item = {
    runId: RUN_ID,
    clusterName: PROD_CLUSTER.name,
    clusterArn: PROD_CLUSTER.arn!,
    profile: 'hyperpod-inference',
    createdAt: '2025-11-03T09:21:00.000Z',
    lastEvent: 'run-succeeded' as const,
    startedBy: 'user:default/jane.doe',
    active: false,
  };

  it('lists past runs after a reload, and offers Roll back for the last one', async () => {
    const getMigration = polls([runView(succeededJournal(), { active: false })]);
    // Migrated: nothing left on Helm, yet the run stays in view.
    await renderWithApis(
      <MigrationSection
        clusterId={PROD}
        report={demoReport('research')}
        runs={[item]}
        pollIntervalMs={POLL_MS}
      />,
      { api: fakeHyperpodApi({ getMigration }) },
    );
    const table = await screen.findByRole('table', { name: 'Migration runs' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent(RUN_ID);
    expect(row).toHaveTextContent('user:default/jane.doe');
    expect(row).toHaveTextContent('Run succeeded');
    expect(await screen.findByRole('button', { name: 'Roll back' })).toBeEnabled();
    expect(getMigration).toHaveBeenCalledWith(RUN_ID);
  });

  it('follows the active run and says when it ended', async () => {
    const getMigration = polls([
      runView(journalUpTo(1)),
      runView(succeededJournal(), { active: false }),
    ]);
    const onRunEnded = jest.fn();
    await renderWithApis(
      <MigrationSection
        clusterId={PROD}
        report={demoReport('research')}
        runs={[{ ...item, active: true, lastEvent: 'action-done' }]}
        activeRun={RUN_ID}
        pollIntervalMs={POLL_MS}
        onRunEnded={onRunEnded}
      />,
      { api: fakeHyperpodApi({ getMigration }) },
    );
    await waitFor(() => expect(onRunEnded).toHaveBeenCalledTimes(1));
  });
});
