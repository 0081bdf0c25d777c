/** @jest-environment jsdom */
import { INFERENCE_ADDON, type UpgradeRequest } from '@hyperpod/core';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DEMO_CLUSTERS,
  FIXTURE_NOW,
  fakeHyperpodApi,
  portalCluster,
  upgradeRequestFixture,
} from '../common/testFixtures';
import { formatTimestamp } from '../common/formatTimestamp';
import { RequestList } from './RequestList';
import { backendError, deferred, renderWithApis } from './testApp';

/** How the history words a time: the exact date and time, in the reader's locale and zone. */
const exact = (iso: string) => formatTimestamp(iso)!.exact;

const STAGING = portalCluster(DEMO_CLUSTERS.staging).id;
const NOW = FIXTURE_NOW.getTime();
const JANE = 'user:default/jane.doe';
const SAM = 'user:default/sam.ops';

const waiting = upgradeRequestFixture('staging');
const WHAT = `${INFERENCE_ADDON} v1.0.0-eksbuild.1 → v1.1.0-eksbuild.1`;

/** A request that ran: approved by Sam, claimed, succeeded. */
const done: UpgradeRequest = upgradeRequestFixture('staging', {
  id: '6b1d2c4e-8f0a-4d3b-9e7f-1a2b3c4d5e6f',
  addonName: 'coredns',
  fromVersion: 'v1.11.3-eksbuild.2',
  targetVersion: 'v1.11.4-eksbuild.14',
  state: 'succeeded',
  decidedBy: SAM,
  attempts: 1,
  createdAt: '2025-11-01T08:00:00.000Z',
  updatedAt: '2025-11-01T09:12:00.000Z',
  history: [
    { at: '2025-11-01T08:00:00.000Z', actor: JANE, to: 'requested' },
    {
      at: '2025-11-01T09:00:00.000Z',
      actor: SAM,
      from: 'requested',
      to: 'approved',
      note: 'in the Tuesday window',
    },
    { at: '2025-11-01T09:01:00.000Z', actor: 'hyperpod-executor', from: 'approved', to: 'running' },
    {
      at: '2025-11-01T09:12:00.000Z',
      actor: 'hyperpod-executor',
      from: 'running',
      to: 'succeeded',
    },
  ],
  outcome: {
    status: 'succeeded',
    message: 'coredns is ACTIVE at v1.11.4-eksbuild.14',
    from: 'v1.11.3-eksbuild.2',
    to: 'v1.11.4-eksbuild.14',
    hopsDone: ['v1.11.4-eksbuild.14'],
    issueCodes: [],
    events: [
      {
        at: '2025-11-01T09:01:05.000Z',
        type: 'hop-started',
        message: 'UpdateAddon coredns to v1.11.4-eksbuild.14',
        hop: 'v1.11.4-eksbuild.14',
      },
    ],
  },
});

describe('RequestList', () => {
  it('shows a loading state, then every request with state, versions, requester and age', async () => {
    const list = deferred<UpgradeRequest[]>();
    const listRequests = jest.fn(() => list.promise);
    await renderWithApis(<RequestList clusterId={STAGING} now={NOW} />, {
      api: fakeHyperpodApi({ listRequests }),
    });
    expect(screen.getByText('Loading upgrade requests…')).toBeInTheDocument();
    expect(listRequests).toHaveBeenCalledWith({ cluster: STAGING });
    list.resolve([waiting, done]);

    const table = await screen.findByRole('table', { name: 'Upgrade requests' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('requested (waiting for approval)')).toBeVisible();
    expect(within(rows[0]!).getByText(INFERENCE_ADDON)).toBeVisible();
    expect(within(rows[0]!).getByText('v1.0.0-eksbuild.1 → v1.1.0-eksbuild.1')).toBeVisible();
    expect(within(rows[0]!).getByText(JANE)).toBeVisible();
    expect(within(rows[0]!).getByText('2 hours ago')).toHaveAttribute(
      'dateTime',
      waiting.createdAt,
    );
    expect(within(rows[1]!).getByText('succeeded')).toBeVisible();
    expect(within(rows[1]!).getByText('2 days ago')).toBeVisible();
  });

  it('says so when there is no request', async () => {
    await renderWithApis(<RequestList clusterId={STAGING} />, {
      api: fakeHyperpodApi({ listRequests: jest.fn(async () => []) }),
    });
    expect(await screen.findByText('No upgrade requests for this cluster yet.')).toBeVisible();
  });

  it('shows why the list could not be loaded, and retries', async () => {
    const listRequests = jest
      .fn()
      .mockImplementationOnce(async () => {
        throw await backendError(500, 'Error', 'database is locked');
      })
      .mockResolvedValue([waiting]);
    await renderWithApis(<RequestList clusterId={STAGING} />, {
      api: fakeHyperpodApi({ listRequests }),
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the upgrade requests');
    expect(alert).toHaveTextContent('Error (500): database is locked');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('requested (waiting for approval)')).toBeVisible();
  });

  it('expands the history and the outcome of a request', async () => {
    await renderWithApis(<RequestList clusterId={STAGING} now={NOW} />, {
      api: fakeHyperpodApi({ listRequests: jest.fn(async () => [done]) }),
    });
    const toggle = await screen.findByRole('button', {
      name: 'History of the request coredns v1.11.3-eksbuild.2 → v1.11.4-eksbuild.14',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText(/in the Tuesday window/)).not.toBeInTheDocument();
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const history = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(
      within(history)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      `${exact('2025-11-01T08:00:00.000Z')} ${JANE}: new → requested`,
      `${exact('2025-11-01T09:00:00.000Z')} ${SAM}: requested → approved (“in the Tuesday window”)`,
      `${exact('2025-11-01T09:01:00.000Z')} hyperpod-executor: approved → running`,
      `${exact('2025-11-01T09:12:00.000Z')} hyperpod-executor: running → succeeded`,
      `${exact('2025-11-01T09:01:05.000Z')} hop-started v1.11.4-eksbuild.14: UpdateAddon coredns to v1.11.4-eksbuild.14`,
    ]);
    expect(within(history).getByText('Outcome: succeeded')).toBeVisible();
    expect(within(history).getByText('coredns is ACTIVE at v1.11.4-eksbuild.14')).toBeVisible();
    await userEvent.click(toggle);
    expect(screen.queryByText(/in the Tuesday window/)).not.toBeInTheDocument();
  });

  it('lets an approver approve: decideRequest, then the list reloads', async () => {
    const listRequests = jest
      .fn()
      .mockResolvedValueOnce([waiting])
      .mockResolvedValue([{ ...waiting, state: 'approved', decidedBy: SAM }]);
    const decideRequest = jest.fn(async () => ({
      ...waiting,
      state: 'approved' as const,
      decidedBy: SAM,
    }));
    const { asked } = await renderWithApis(<RequestList clusterId={STAGING} />, {
      api: fakeHyperpodApi({ listRequests, decideRequest }),
      user: SAM,
    });
    await userEvent.click(await screen.findByRole('button', { name: `Approve ${WHAT}` }));
    const dialog = screen.getByRole('dialog', {
      name: `Approve the upgrade of ${INFERENCE_ADDON} to v1.1.0-eksbuild.1?`,
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve request' }));

    expect(decideRequest).toHaveBeenCalledWith(waiting.id, 'approve', undefined);
    expect(await screen.findByRole('status')).toHaveTextContent(
      `Request approved: ${WHAT} is approved (waiting to run).`,
    );
    await waitFor(() => expect(listRequests).toHaveBeenCalledTimes(2));
    expect(await screen.findByText('approved (waiting to run)')).toBeVisible();
    expect(screen.queryByRole('button', { name: `Approve ${WHAT}` })).not.toBeInTheDocument();
    expect(asked).toContainEqual({ permission: 'hyperpod.upgrade.approve', resourceRef: STAGING });
  });

  it('rejects with a note', async () => {
    const decideRequest = jest.fn(async () => ({ ...waiting, state: 'rejected' as const }));
    await renderWithApis(<RequestList clusterId={STAGING} />, {
      api: fakeHyperpodApi({ listRequests: jest.fn(async () => [waiting]), decideRequest }),
      user: SAM,
    });
    await userEvent.click(await screen.findByRole('button', { name: `Reject ${WHAT}` }));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Note/), 'wait for the 1.32 upgrade');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject request' }));
    expect(decideRequest).toHaveBeenCalledWith(waiting.id, 'reject', 'wait for the 1.32 upgrade');
  });

  it('sends nothing when the dialog is left with Back', async () => {
    const decideRequest = jest.fn();
    await renderWithApis(<RequestList clusterId={STAGING} />, {
      api: fakeHyperpodApi({ listRequests: jest.fn(async () => [waiting]), decideRequest }),
      user: SAM,
    });
    await userEvent.click(await screen.findByRole('button', { name: `Approve ${WHAT}` }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(decideRequest).not.toHaveBeenCalled();
  });

  it("shows the backend's refusal as it says it", async () => {
    // The list was read before someone else approved it: the backend has the last word.
    const message = 'cannot approve a request that is approved (only one that is requested)';
    await renderWithApis(<RequestList clusterId={STAGING} />, {
      api: fakeHyperpodApi({
        listRequests: jest.fn(async () => [waiting]),
        decideRequest: jest.fn(async () => {
          throw await backendError(409, 'ConflictError', message);
        }),
      }),
      user: SAM,
    });
    await userEvent.click(await screen.findByRole('button', { name: `Approve ${WHAT}` }));
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Approve request' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not approve the request');
    expect(alert).toHaveTextContent(`Conflict (409): ${message}`);
  });

  it('offers an approver no Approve of their own request unless allowSelfApproval (as the backend decides)', async () => {
    // Jane asked for `waiting` and is an approver of the cluster.
    await renderWithApis(<RequestList clusterId={STAGING} />, {
      api: fakeHyperpodApi({ listRequests: jest.fn(async () => [waiting]) }),
      user: JANE,
    });
    expect(await screen.findByRole('button', { name: `Reject ${WHAT}` })).toBeVisible();
    expect(screen.getByRole('button', { name: `Cancel ${WHAT}` })).toBeVisible();
    expect(screen.queryByRole('button', { name: `Approve ${WHAT}` })).not.toBeInTheDocument();
    expect(screen.getByText(/Another approver must approve your own requests/)).toBeVisible();
  });

  it('offers an approver the Approve of their own request when allowSelfApproval is true', async () => {
    await renderWithApis(<RequestList clusterId={STAGING} />, {
      api: fakeHyperpodApi({ listRequests: jest.fn(async () => [waiting]) }),
      user: JANE,
      config: { hyperpod: { approval: { allowSelfApproval: true } } },
    });
    expect(await screen.findByRole('button', { name: `Approve ${WHAT}` })).toBeVisible();
    expect(screen.queryByText(/Another approver must/)).not.toBeInTheDocument();
  });

  it('hides approve and reject from non-approvers and says why; the requester may cancel', async () => {
    const decideRequest = jest.fn(async () => ({ ...waiting, state: 'cancelled' as const }));
    await renderWithApis(<RequestList clusterId={STAGING} />, {
      api: fakeHyperpodApi({ listRequests: jest.fn(async () => [waiting, done]), decideRequest }),
      grants: { approve: false },
      user: JANE,
    });
    expect(
      await screen.findByText(/Only approvers of this cluster may approve or reject requests/),
    ).toBeVisible();
    expect(screen.queryByRole('button', { name: /^Approve/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Reject/ })).not.toBeInTheDocument();
    // A finished request cannot be cancelled.
    expect(screen.queryByRole('button', { name: /^Cancel coredns/ })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: `Cancel ${WHAT}` }));
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel request' }),
    );
    expect(decideRequest).toHaveBeenCalledWith(waiting.id, 'cancel', undefined);
  });

  it('offers no decision while the permission is being checked', async () => {
    await renderWithApis(<RequestList clusterId={STAGING} />, {
      api: fakeHyperpodApi({ listRequests: jest.fn(async () => [waiting]) }),
      permissionsPending: true,
      user: SAM,
    });
    await screen.findByText('requested (waiting for approval)');
    expect(screen.queryByRole('button', { name: `Approve ${WHAT}` })).not.toBeInTheDocument();
    expect(screen.queryByText(/Only approvers of this cluster/)).not.toBeInTheDocument();
  });

  it("offers no cancel of someone else's request to a non-approver", async () => {
    await renderWithApis(<RequestList clusterId={STAGING} />, {
      api: fakeHyperpodApi({ listRequests: jest.fn(async () => [waiting]) }),
      grants: { approve: false },
      user: 'user:default/someone.else',
    });
    await screen.findByText('requested (waiting for approval)');
    await screen.findByText(/Only approvers of this cluster/);
    expect(screen.queryByRole('button', { name: `Cancel ${WHAT}` })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: `History of the request ${WHAT}` })).toBeEnabled();
  });
});

describe('RequestList while a request runs', () => {
  it('reads the list again until nothing is approved or running, then says the cluster changed', async () => {
    const running = upgradeRequestFixture('staging', { state: 'running' });
    const succeeded = upgradeRequestFixture('staging', { state: 'succeeded' });
    const answers = [[running], [running], [succeeded]];
    let i = 0;
    const listRequests = jest.fn(async () => answers[Math.min(i++, answers.length - 1)]!);
    const onSettled = jest.fn();
    await renderWithApis(
      <RequestList clusterId={STAGING} now={NOW} pollIntervalMs={5} onSettled={onSettled} />,
      { api: fakeHyperpodApi({ listRequests }) },
    );
    expect(await screen.findByText('succeeded')).toBeVisible();
    await waitFor(() => expect(onSettled).toHaveBeenCalledTimes(1));
    expect(listRequests).toHaveBeenCalledTimes(3);
    // Settled: no more reads.
    await new Promise((r) => setTimeout(r, 50));
    expect(listRequests).toHaveBeenCalledTimes(3);
  });

  it('does not poll a list with nothing in progress', async () => {
    const listRequests = jest.fn(async () => [waiting, done]);
    await renderWithApis(<RequestList clusterId={STAGING} now={NOW} pollIntervalMs={5} />, {
      api: fakeHyperpodApi({ listRequests }),
    });
    await screen.findByRole('table', { name: 'Upgrade requests' });
    await new Promise((r) => setTimeout(r, 50));
    expect(listRequests).toHaveBeenCalledTimes(1);
  });
});
