/** @jest-environment jsdom */
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createExtensionTester, mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import hyperpodPlugin, {
  hyperpodEntityCard,
  hyperpodEntityContent,
  hyperpodFleetPage,
} from './alpha';
import { hyperpodApiRef } from './api/HyperpodApi';
import {
  clusterEntity,
  demoClusterDetail,
  demoFleet,
  fakeHyperpodApi,
} from './components/common/testFixtures';

/** The extensions load their components lazily: on a loaded CI machine that takes seconds. */
const LAZY_LOAD = { timeout: 15_000 };

const api = () =>
  fakeHyperpodApi({
    getFleet: jest.fn(async () => demoFleet()),
    getCluster: jest.fn(async () => demoClusterDetail('prod')),
    listRequests: jest.fn(async () => []),
  });

describe('the plugin on the new frontend system (@hyperpod/plugin-hyperpod/alpha)', () => {
  it('is the hyperpod plugin with its API, page, entity tab and card', () => {
    expect(hyperpodPlugin.pluginId).toBe('hyperpod');
    for (const id of [
      'api:hyperpod',
      'page:hyperpod',
      'entity-content:hyperpod',
      'entity-card:hyperpod/overview',
    ])
      expect(hyperpodPlugin.getExtension(id as never)).toBeDefined();
  });

  jest.setTimeout(30_000);

  it('mounts the fleet page, which lists the fleet from the API', async () => {
    const tester = createExtensionTester(hyperpodFleetPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/hyperpod');
    renderInTestApp(tester.reactElement(), { apis: [[hyperpodApiRef, api()]] });
    expect(await screen.findByRole('table', { name: 'Clusters' }, LAZY_LOAD)).toBeInTheDocument();
    expect(await screen.findByText('ml-batch-use1')).toBeInTheDocument();
  });

  it('shows the tab and the card on cluster entities only', () => {
    const content = createExtensionTester(hyperpodEntityContent);
    const card = createExtensionTester(hyperpodEntityCard);
    const cluster = clusterEntity('prod');
    const other = { ...cluster, spec: { ...cluster.spec, type: 'database' } };
    for (const filter of [
      content.get(EntityContentBlueprint.dataRefs.filterFunction),
      card.get(EntityCardBlueprint.dataRefs.filterFunction),
    ]) {
      expect(filter?.(cluster)).toBe(true);
      expect(filter?.(other)).toBe(false);
      expect(filter?.(clusterEntity('prod', { annotated: false }))).toBe(false);
    }
    expect(content.get(EntityContentBlueprint.dataRefs.title)).toBe('Hyperpod');
  });

  it("renders the cluster tab for the entity's cluster", async () => {
    const fake = api();
    const tester = createExtensionTester(hyperpodEntityContent);
    renderInTestApp(
      <EntityProvider entity={clusterEntity('prod')}>{tester.reactElement()}</EntityProvider>,
      { apis: [[hyperpodApiRef, fake], mockApis.permission()] },
    );
    expect(
      await screen.findByRole('heading', { name: 'ml-prod-use1' }, LAZY_LOAD),
    ).toBeInTheDocument();
    expect(fake.getCluster).toHaveBeenCalledWith(
      'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
    );
  });
});
