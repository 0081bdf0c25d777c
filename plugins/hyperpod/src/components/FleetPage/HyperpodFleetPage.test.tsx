/** @jest-environment jsdom */
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { FleetSummary } from '@hyperpod/core';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { hyperpodApiRef } from '../../api/HyperpodApi';
import {
  DEMO_CLUSTERS,
  demoFleet,
  emptyFleet,
  fakeHyperpodApi,
  largeFleet,
  responseErrorFixture,
} from '../common/testFixtures';
import { formatTimestamp } from '../common/formatTimestamp';
import { HyperpodFleetPage } from './index';

const ISO_TEXT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const CATALOG_ROUTES = { '/catalog/:namespace/:kind/:name': entityRouteRef };

async function renderPage(
  getFleet: jest.Mock<Promise<FleetSummary>, []>,
  opts: { catalog?: boolean; path?: string } = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[hyperpodApiRef, fakeHyperpodApi({ getFleet })]]}>
      <HyperpodFleetPage />
    </TestApiProvider>,
    {
      ...(opts.catalog === false ? {} : { mountedRoutes: CATALOG_ROUTES }),
      ...(opts.path ? { routeEntries: [opts.path] } : {}),
    },
  );
}

const table = () => screen.getByRole('table', { name: 'Clusters' });

function bodyRows(): HTMLElement[] {
  return within(table()).getAllByRole('row').slice(1);
}

/** The NAME cell (the row's header) of every body row, in order. */
function clusterNames(): string[] {
  return bodyRows().map((r) => r.querySelector('th[scope="row"]')!.textContent ?? '');
}

function rowOf(name: string): HTMLElement {
  const row = bodyRows().find((r) => r.querySelector('th[scope="row"]')?.textContent === name);
  if (!row) throw new Error(`no row for ${name}; rows: ${clusterNames().join(', ')}`);
  return row;
}

/** NAME, ACCOUNT, REGION, OWNER, KUBERNETES, HEALTH, ADD-ONS, OPEN REQUESTS, LAST SCANNED. */
function cellsOf(name: string): HTMLElement[] {
  return [...rowOf(name).querySelectorAll<HTMLElement>('th, td')];
}

async function showsFleet() {
  await screen.findByRole('table', { name: 'Clusters' });
}

describe('HyperpodFleetPage', () => {
  it('says when the summary was made and each cluster scanned in words, the exact time on hover', async () => {
    const fleet = demoFleet();
    await renderPage(jest.fn(async () => fleet));
    await showsFleet();
    const generated = screen.getByText(/^Summary generated/).querySelector('time')!;
    expect(generated).toHaveAttribute('dateTime', fleet.generatedAt);
    expect(generated).toHaveTextContent(formatTimestamp(fleet.generatedAt)!.relative);
    expect(generated).toHaveAttribute('title', formatTimestamp(fleet.generatedAt)!.exact);
    const batch = fleet.clusters.find((c) => c.name === 'ml-batch-use1')!;
    const scanned = within(rowOf('ml-batch-use1')).getByRole('time');
    expect(scanned).toHaveTextContent(
      formatTimestamp(batch.scannedAt!, { style: 'short' })!.relative,
    );
    expect(scanned).toHaveAttribute('title', formatTimestamp(batch.scannedAt!)!.exact);
    expect(document.body.textContent).not.toMatch(ISO_TEXT);
  });

  it('shows progress while the fleet summary loads', async () => {
    const getFleet = jest.fn(() => new Promise<FleetSummary>(() => {}));
    await renderPage(getFleet);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(getFleet).toHaveBeenCalledTimes(1);
  });

  it("shows the backend's error when the fleet cannot be loaded", async () => {
    const error = await responseErrorFixture(
      503,
      'ServiceUnavailableError',
      'the first fleet scan has not finished yet',
    );
    await renderPage(jest.fn(() => Promise.reject(error)));
    expect(
      await screen.findByText(
        'Error: Could not load the fleet: the first fleet scan has not finished yet',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('explains how to configure clusters when the fleet is empty', async () => {
    await renderPage(jest.fn(async () => emptyFleet()));
    expect(await screen.findByText('No clusters configured')).toBeInTheDocument();
    expect(screen.getByText(/under hyperpod\.fleet in app-config\.yaml/)).toBeInTheDocument();
    expect(screen.getAllByText(/ml-prod-use1/).length).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows the totals of the fleet', async () => {
    const fleet = demoFleet();
    // The fixture is the demo fleet: 5 healthy, 2 degraded (a DEGRADED add-on, a pending Helm
    // release), 1 unreadable; 4 Helm installs to migrate; 2 add-ons behind the default.
    expect(fleet.totals).toMatchObject({
      clusters: 8,
      byHealth: { Healthy: 5, Degraded: 2, Unknown: 1 },
      migrationCandidates: 4,
      behindDefault: 2,
    });
    await renderPage(jest.fn(async () => fleet));
    const totals = await screen.findByRole('region', { name: 'Fleet totals' });
    for (const name of [
      'Clusters: 8',
      'Healthy clusters: 5',
      'Degraded clusters: 2',
      'Unknown clusters: 1',
      'Migration candidates: 4',
      'Add-ons behind default: 2',
    ]) {
      expect(within(totals).getByRole('group', { name })).toBeInTheDocument();
    }
    // States no cluster is in are left out, except Healthy.
    expect(within(totals).queryByRole('group', { name: /^Missing clusters/ })).toBeNull();
  });

  it('lists every cluster with its columns, linking names to catalog entities', async () => {
    await renderPage(jest.fn(async () => demoFleet()));
    await showsFleet();
    expect(clusterNames()).toEqual([
      'ml-batch-use1',
      'ml-canary-usw2',
      'ml-dev-use1',
      'ml-eval-euw1',
      'ml-legacy-use1',
      'ml-prod-use1',
      'ml-research-usw2',
      'ml-staging-usw2',
    ]);
    expect(screen.getByText('Showing 8 of 8 clusters')).toBeInTheDocument();

    const batch = rowOf('ml-batch-use1');
    expect(within(batch).getByRole('link', { name: 'ml-batch-use1' })).toHaveAttribute(
      'href',
      '/catalog/default/resource/ml-batch-use1',
    );
    const cells = cellsOf('ml-batch-use1').map((c) => c.textContent);
    expect(cells[1]).toBe(DEMO_CLUSTERS.batch.account);
    expect(cells[2]).toBe('us-east-1');
    expect(within(batch).getByRole('link', { name: 'ml-batch' })).toHaveAttribute(
      'href',
      '/catalog/default/group/ml-batch',
    );
    expect(cells[3]).toBe('ml-batch');
    expect(cells[4]).toBe('1.31');
    expect(within(batch).getByLabelText('health Degraded')).toBeInTheDocument();
    expect(cells[7]).toBe('1'); // open requests
    expect(within(batch).getByRole('time')).toHaveAttribute('dateTime', '2025-11-03T09:26:00.000Z');

    // A cluster without an owner, and one whose scan failed.
    expect(cellsOf('ml-legacy-use1')[3]).toHaveTextContent('<none>');
    const unreadable = rowOf('ml-eval-euw1');
    expect(within(unreadable).getByLabelText('health Unknown')).toBeInTheDocument();
    expect(within(unreadable).getByText('1 scan error')).toBeInTheDocument();
  });

  it('shows one chip per add-on with its health, drift and Helm marker', async () => {
    await renderPage(jest.fn(async () => demoFleet()));
    await showsFleet();

    const batchAddons = within(rowOf('ml-batch-use1')).getByRole('list', {
      name: 'add-ons of ml-batch-use1',
    });
    expect(within(batchAddons).getAllByRole('listitem')).toHaveLength(5);
    expect(
      within(batchAddons).getByLabelText('coredns v1.11.4-eksbuild.14: Degraded'),
    ).toBeInTheDocument();
    // The same summary shows on hover (the chips are not focusable: a native title does it).
    expect(within(batchAddons).getByTitle('coredns v1.11.4-eksbuild.14: Degraded')).toBeVisible();
    expect(
      within(batchAddons).getByLabelText(/^vpc-cni v1\.20\.0-eksbuild\.1: Healthy/),
    ).toBeInTheDocument();

    // Behind the default version: a badge in words, on the add-on's item only.
    const staging = within(rowOf('ml-staging-usw2'));
    const inference = staging
      .getByLabelText(
        /^amazon-sagemaker-hyperpod-inference v1\.0\.0-eksbuild\.1: Healthy, behind default version/,
      )
      .closest('li')!;
    expect(
      within(inference).getByLabelText('version drift: behind default, newest v1.2.0-eksbuild.1'),
    ).toBeInTheDocument();
    expect(staging.getAllByLabelText(/^version drift/)).toHaveLength(1);
    // Drift that needs nothing (at default, latest) shows no badge.
    expect(within(rowOf('ml-research-usw2')).queryAllByLabelText(/^version drift/)).toHaveLength(0);

    // Helm installs carry the migration marker; add-ons do not.
    const dev = within(rowOf('ml-dev-use1'));
    expect(dev.getAllByLabelText('installed by Helm: migration candidate')).toHaveLength(2);
    expect(
      within(rowOf('ml-staging-usw2')).queryAllByLabelText(/migration candidate/),
    ).toHaveLength(0);

    // No add-ons read: said in words.
    expect(cellsOf('ml-eval-euw1')[6]).toHaveTextContent('<none>');
  });

  it('links a cluster to the entity the backend names for it, or not at all', async () => {
    const fleet = demoFleet();
    const long = `ml-${'x'.repeat(70)}`;
    const renamed: FleetSummary = {
      ...fleet,
      clusters: [
        {
          ...fleet.clusters[0]!,
          name: 'ML_Research.usw2',
          entityRef: 'resource:default/ml-research-usw2',
        },
        // From a backend that names no entity: no link to guess.
        { ...fleet.clusters[1]!, id: 'us-east-1/long', name: long, entityRef: undefined },
      ],
    };
    await renderPage(jest.fn(async () => renamed));
    await showsFleet();
    expect(screen.getByRole('link', { name: 'ML_Research.usw2' })).toHaveAttribute(
      'href',
      '/catalog/default/resource/ml-research-usw2',
    );
    expect(cellsOf(long)[0]).toHaveTextContent(long);
    expect(screen.queryByRole('link', { name: long })).toBeNull();
  });

  it('shows cluster names as plain text when the catalog is not mounted', async () => {
    await renderPage(
      jest.fn(async () => demoFleet()),
      { catalog: false },
    );
    await showsFleet();
    expect(cellsOf('ml-prod-use1')[0]).toHaveTextContent('ml-prod-use1');
    expect(within(table()).queryAllByRole('link')).toHaveLength(0);
  });

  describe('filters', () => {
    it('each has an accessible name', async () => {
      await renderPage(jest.fn(async () => demoFleet()));
      await showsFleet();
      const search = screen.getByRole('search', { name: 'Filter clusters' });
      expect(within(search).getByRole('searchbox', { name: 'Cluster name' })).toBeInTheDocument();
      for (const name of ['Account', 'Region', 'Owner', 'Health']) {
        expect(within(search).getByRole('combobox', { name })).toBeInTheDocument();
      }
    });

    it('filter by region, account, owner and health, and combine', async () => {
      const user = userEvent.setup();
      await renderPage(jest.fn(async () => demoFleet()));
      await showsFleet();

      await user.selectOptions(screen.getByLabelText('Region'), 'us-west-2');
      expect(clusterNames()).toEqual(['ml-canary-usw2', 'ml-research-usw2', 'ml-staging-usw2']);
      expect(screen.getByText('Showing 3 of 8 clusters')).toBeInTheDocument();

      await user.selectOptions(screen.getByLabelText('Account'), DEV_ACCOUNT_ID);
      expect(clusterNames()).toEqual(['ml-staging-usw2']);

      await user.selectOptions(screen.getByLabelText('Region'), '');
      await user.selectOptions(screen.getByLabelText('Account'), '');
      // Owners are shown by name and filter by their entity ref.
      await user.selectOptions(screen.getByLabelText('Owner'), 'ml-research');
      expect(screen.getByLabelText<HTMLSelectElement>('Owner').value).toBe(
        'group:default/ml-research',
      );
      expect(clusterNames()).toEqual(['ml-dev-use1', 'ml-research-usw2']);

      await user.selectOptions(screen.getByLabelText('Owner'), '');
      await user.selectOptions(screen.getByLabelText('Health'), 'Degraded');
      expect(clusterNames()).toEqual(['ml-batch-use1', 'ml-canary-usw2']);
    });

    it('filter by free text in the name, case-insensitively', async () => {
      const user = userEvent.setup();
      await renderPage(jest.fn(async () => demoFleet()));
      await showsFleet();
      await user.type(screen.getByLabelText('Cluster name'), 'USW2');
      expect(clusterNames()).toEqual(['ml-canary-usw2', 'ml-research-usw2', 'ml-staging-usw2']);
      await user.clear(screen.getByLabelText('Cluster name'));
      await user.type(screen.getByLabelText('Cluster name'), 'no-such-cluster');
      expect(clusterNames()).toEqual([]);
      expect(screen.getByText('Showing 0 of 8 clusters')).toBeInTheDocument();
    });

    it('are read from the URL, so a filtered view can be shared', async () => {
      await renderPage(
        jest.fn(async () => demoFleet()),
        {
          path: '/?health=Unknown&region=eu-west-1',
        },
      );
      await showsFleet();
      expect(clusterNames()).toEqual(['ml-eval-euw1']);
      expect(screen.getByLabelText<HTMLSelectElement>('Health').value).toBe('Unknown');
      expect(screen.getByLabelText<HTMLSelectElement>('Region').value).toBe('eu-west-1');
    });

    it('ignore a health state in the URL that does not exist', async () => {
      await renderPage(
        jest.fn(async () => demoFleet()),
        { path: '/?health=Sparkling' },
      );
      await showsFleet();
      expect(clusterNames()).toHaveLength(8);
    });
  });

  describe('sorting', () => {
    it('by name, health and region from the column headers', async () => {
      const user = userEvent.setup();
      await renderPage(jest.fn(async () => demoFleet()));
      await showsFleet();
      const header = (name: string) =>
        within(table()).getByRole('columnheader', { name: new RegExp(`^${name}`) });

      expect(header('Name')).toHaveAttribute('aria-sort', 'ascending');
      await user.click(within(header('Name')).getByRole('button'));
      expect(header('Name')).toHaveAttribute('aria-sort', 'descending');
      expect(clusterNames()[0]).toBe('ml-staging-usw2');

      // Health: worst first on the first click, names breaking ties.
      await user.click(within(header('Health')).getByRole('button'));
      expect(header('Health')).toHaveAttribute('aria-sort', 'descending');
      expect(header('Name')).not.toHaveAttribute('aria-sort');
      // Unknown (the unreadable cluster), then the two with a problem, then the others by name.
      const worst = ['ml-eval-euw1', 'ml-batch-use1', 'ml-canary-usw2'];
      const others = demoFleet()
        .clusters.map((c) => c.name)
        .filter((n) => !worst.includes(n))
        .sort();
      expect(others).toHaveLength(5);
      expect(clusterNames()).toEqual([...worst, ...others]);
      await user.click(within(header('Health')).getByRole('button'));
      expect(clusterNames().slice(-3)).toEqual(['ml-batch-use1', 'ml-canary-usw2', 'ml-eval-euw1']);

      await user.click(within(header('Region')).getByRole('button'));
      expect(clusterNames()).toEqual([
        'ml-eval-euw1',
        'ml-batch-use1',
        'ml-dev-use1',
        'ml-legacy-use1',
        'ml-prod-use1',
        'ml-canary-usw2',
        'ml-research-usw2',
        'ml-staging-usw2',
      ]);
    });
  });

  describe('a fleet of 240 clusters', () => {
    it('renders one page of 25 rows and pages through the rest', async () => {
      const user = userEvent.setup();
      await renderPage(jest.fn(async () => largeFleet(240)));
      await showsFleet();
      expect(clusterNames()).toHaveLength(25);
      expect(clusterNames()[0]).toBe('ml-fleet-001');
      expect(screen.getByText('1-25 of 240')).toBeInTheDocument();

      await user.click(screen.getByRole('button', { name: 'Next page' }));
      expect(clusterNames()[0]).toBe('ml-fleet-026');
      expect(screen.getByText('26-50 of 240')).toBeInTheDocument();

      // More rows per page, back to the first page.
      await user.click(screen.getByRole('button', { name: /Rows per page/ }));
      await user.click(await screen.findByRole('option', { name: '100' }));
      expect(clusterNames()).toHaveLength(100);
      expect(clusterNames()[0]).toBe('ml-fleet-001');
      expect(screen.getByText('1-100 of 240')).toBeInTheDocument();
    });

    it('returns to the first page when a filter changes', async () => {
      const user = userEvent.setup();
      await renderPage(jest.fn(async () => largeFleet(240)));
      await showsFleet();
      await user.click(screen.getByRole('button', { name: 'Next page' }));
      await user.click(screen.getByRole('button', { name: 'Next page' }));
      expect(clusterNames()[0]).toBe('ml-fleet-051');

      await user.type(screen.getByLabelText('Cluster name'), 'ml-fleet-2');
      // ml-fleet-200 ... ml-fleet-240 (41 clusters).
      expect(screen.getByText('1-25 of 41')).toBeInTheDocument();
      expect(clusterNames()[0]).toBe('ml-fleet-200');
      // Clusters never scanned yet say so.
      expect(cellsOf('ml-fleet-200')[8]).toHaveTextContent('never');
    });
  });

  it('loads the fleet again on Reload, keeping the table until the new summary', async () => {
    const user = userEvent.setup();
    const first = demoFleet();
    const second: FleetSummary = { ...first, clusters: first.clusters.slice(0, 2) };
    let release = () => {};
    const getFleet = jest
      .fn<Promise<FleetSummary>, []>()
      .mockResolvedValueOnce(first)
      .mockImplementationOnce(
        () => new Promise<FleetSummary>((resolve) => (release = () => resolve(second))),
      );
    await renderPage(getFleet);
    await showsFleet();
    expect(clusterNames()).toHaveLength(8);
    await user.click(screen.getByRole('button', { name: 'Reload' }));
    expect(await screen.findByRole('button', { name: 'Reloading…' })).toBeDisabled();
    expect(clusterNames()).toHaveLength(8);
    release();
    await waitFor(() => expect(clusterNames()).toHaveLength(2));
    expect(screen.getByRole('button', { name: 'Reload' })).toBeEnabled();
    expect(getFleet).toHaveBeenCalledTimes(2);
  });
});

const DEV_ACCOUNT_ID = DEMO_CLUSTERS.dev.account;
