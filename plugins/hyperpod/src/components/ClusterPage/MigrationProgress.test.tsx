/** @jest-environment jsdom */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HyperpodApi } from '../../api/HyperpodApi';
import { fakeHyperpodApi } from '../common/testFixtures';
import { MigrationProgress } from './MigrationProgress';
import {
  RUN_ID,
  failedAndRolledBackJournal,
  journalUpTo,
  runView,
  succeededJournal,
} from './migrationFixtures';
import { backendError, POLL_MS, polls, renderWithApis, steppedPolls } from './testApp';

/** The progress of run RUN_ID, the backend answering through `api`. */
async function renderProgress(api: Partial<HyperpodApi>, mayRollBack = true) {
  await renderWithApis(
    <MigrationProgress runId={RUN_ID} mayRollBack={mayRollBack} pollIntervalMs={POLL_MS} />,
    { api: fakeHyperpodApi(api) },
  );
}

describe('MigrationProgress', () => {
  it('shows a run the executor rolled back after a failed step, with the error', async () => {
    await renderProgress({
      getMigration: polls([runView(failedAndRolledBackJournal(), { active: false })]),
    });
    expect(await screen.findByText(`Migration run ${RUN_ID}: rolled back`)).toBeVisible();
    const journal = screen.getByRole('list', { name: `Journal of run ${RUN_ID}` });
    expect(
      within(journal).getByText(
        /Run failed · Create add-on amazon-sagemaker-hyperpod-inference: create add-on amazon-sagemaker-hyperpod-inference v1\.1\.0-eksbuild\.1 \(CreateAddon amazon-sagemaker-hyperpod-inference: InvalidParameterException/,
      ),
    ).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Roll back' })).not.toBeInTheDocument();
  });

  it('says a failed run is rolling back while the backend is still at it', async () => {
    const journal = failedAndRolledBackJournal().slice(0, -2);
    await renderProgress({ getMigration: polls([runView(journal, { active: true })]) });
    expect(await screen.findByText(`Migration run ${RUN_ID}: failed, rolling back`)).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Roll back' })).not.toBeInTheDocument();
  });

  it('offers no rollback without the permission', async () => {
    await renderProgress(
      { getMigration: polls([runView(succeededJournal(), { active: false })]) },
      false,
    );
    expect(await screen.findByText(`Migration run ${RUN_ID}: succeeded`)).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Roll back' })).not.toBeInTheDocument();
  });

  it("shows the backend's refusal to roll back", async () => {
    const message = `migration run ${RUN_ID} is in progress on another backend replica; retry after 2025-11-03T09:40:00.000Z`;
    await renderProgress({
      getMigration: polls([runView(succeededJournal(), { active: false })]),
      rollbackMigration: jest.fn(async () => {
        throw await backendError(409, 'ConflictError', message);
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Roll back' }));
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Roll back now' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The rollback was refused');
    expect(alert).toHaveTextContent(`Conflict (409): ${message}`);
  });

  it('keeps polling through a failed read and says so meanwhile', async () => {
    const { getMigration, answer } = steppedPolls();
    const failing = jest
      .fn()
      .mockImplementationOnce(async () => {
        throw await backendError(502, 'Error', 'upstream connect error');
      })
      .mockImplementation(getMigration);
    await renderProgress({ getMigration: failing });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `Could not read migration run ${RUN_ID}Error (502): upstream connect error`,
    );
    await answer(runView(journalUpTo(2)));
    expect(await screen.findByText(`Migration run ${RUN_ID}: running`)).toBeVisible();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('stops asking about a run the backend does not know', async () => {
    const getMigration = jest.fn(async () => {
      throw await backendError(404, 'NotFoundError', `no migration run ${RUN_ID}`);
    });
    await renderProgress({ getMigration });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `Not found (404): no migration run ${RUN_ID}`,
    );
    await new Promise((r) => setTimeout(r, 10 * POLL_MS));
    expect(getMigration).toHaveBeenCalledTimes(1);
  });
});
