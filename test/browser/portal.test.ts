/**
 * The portal in a real browser (issue 6): Debian's Chromium, driven by playwright-core, against
 * `scripts/start.mjs` on the demo sandbox. One flow, in order, as a user would go: the fleet, a
 * Helm-installed cluster's health, drift and migration, an upgrade request, what a guest may not
 * do, and an approver approving the request until it has run. Before it, at 1366 and 1920 px
 * (issue 20 #12): the fleet page, a cluster's overview and its hyperpod tab fit the window, keep
 * words whole, pass axe-core (no serious or critical violation) and say times as people do.
 * Screenshots at both widths go to test-results/screenshots/. Needs ports 3000 and 7007 free and
 * `tsc -b` done.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  brokenWordsInTables,
  horizontalOverflow,
  isoTimestampsShown,
  labelsOverSelectValues,
  overlappingBoxes,
  screenshotWhole,
  sidewaysFocus,
  tabLabelContrasts,
  wrappedHeaders,
} from './pageChecks';
import { APP_URL, launchChromium, startPortal, type PortalStack } from './portalStack';

jest.setTimeout(300_000);

const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');
const DEMO_CLUSTERS = [
  'ml-batch-use1',
  'ml-canary-usw2',
  'ml-dev-use1',
  'ml-legacy-use1',
  'ml-prod-use1',
  'ml-research-usw2',
  'ml-staging-usw2',
];
/** Prod account, owned by ml-platform (the guest's group), the inference operator on Helm. */
const HELM_CLUSTER = 'ml-prod-use1';
/** Prod account too; its snapshot-controller add-on is behind the default for Kubernetes 1.28. */
const UPGRADE_CLUSTER = 'ml-legacy-use1';
const UPGRADE = {
  addon: 'snapshot-controller',
  from: 'v6.3.2-eksbuild.1',
  to: 'v8.1.0-eksbuild.2',
};
/** Dev account, owned by research: the guest may only look. */
const RESEARCH_CLUSTER = 'ml-staging-usw2';

const clusterTab = (name: string) => `${APP_URL}/catalog/default/resource/${name}/hyperpod`;
const UPGRADE_FORM = 'form[aria-label="Request an add-on upgrade"]';
/** A laptop and a desktop window, both with the sidebar pinned open (Backstage's default). */
const WIDTHS = [1366, 1920];
/** Enough key presses to walk the sidebar, the header, the filters and into the table. */
const TAB_PRESSES = 40;

/** Where the right edges of `locators` are, when any is beyond `width`. */
async function beyondRightEdge(
  width: number,
  locators: { name: string; locator: ReturnType<Page['locator']> }[],
): Promise<string[]> {
  const out: string[] = [];
  for (const { name, locator } of locators) {
    const box = await locator.boundingBox();
    if (!box || box.x + box.width > width)
      out.push(`${name} ends at ${box ? box.x + box.width : 'nowhere'}`);
  }
  return out;
}

describe('the portal in Chromium', () => {
  let stack: PortalStack | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startPortal();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(30_000);
  }, 300_000);

  afterAll(async () => {
    // What the page showed when a step failed (or the end of the flow).
    await page
      ?.screenshot({ path: join(SCREENSHOTS, 'last-page.png'), fullPage: true })
      .catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  }, 60_000);

  it.each(WIDTHS)(
    'at %i px the fleet page, a cluster overview and its hyperpod tab fit, keep words whole, pass axe and say times as people do',
    async (width) => {
      const context = await browser!.newContext({ viewport: { width, height: 900 } });
      const p = await context.newPage();
      p.setDefaultTimeout(30_000);
      try {
        await p.goto(`${APP_URL}/hyperpod`);
        await p.getByRole('button', { name: 'Enter' }).click();
        const fleet = p.getByRole('table', { name: 'Clusters' });
        await fleet.getByRole('link', { name: HELM_CLUSTER, exact: true }).waitFor();
        await p.getByText('Helm installs to migrate').waitFor();

        // The page is as wide as the window; the last columns and the Health filter are in it.
        expect(await horizontalOverflow(p)).toBe(0);
        expect(
          await beyondRightEdge(width, [
            {
              name: 'Last scanned',
              locator: fleet.getByRole('columnheader', { name: 'Last scanned' }),
            },
            {
              name: 'Open requests',
              locator: fleet.getByRole('columnheader', { name: 'Open requests' }),
            },
            { name: 'the Health filter', locator: p.getByLabel('Health', { exact: true }) },
          ]),
        ).toEqual([]);
        // The totals, the caption under them and the filters each have their own room.
        const search = p.getByRole('search', { name: 'Filter clusters' });
        const totals = await p
          .getByRole('region', { name: 'Fleet totals' })
          .getByRole('group')
          .all();
        expect(
          await overlappingBoxes([
            ...totals.map((locator, i) => ({ name: `total ${i + 1}`, locator })),
            { name: 'the "Summary generated" caption', locator: p.getByText(/^Summary generated/) },
            ...(await search.locator('label').all()).map((locator, i) => ({
              name: `filter label ${i + 1}`,
              locator,
            })),
          ]),
        ).toEqual([]);
        expect(await brokenWordsInTables(p)).toEqual([]);
        expect(await wrappedHeaders(p)).toEqual([]);
        expect(await isoTimestampsShown(p)).toEqual([]);
        expect(await axeViolations(p)).toEqual([]);
        await screenshotWhole(p, join(SCREENSHOTS, `fleet-page-${width}.png`));
        // Keyboard focus never scrolls the page sideways or lands under the sidebar.
        expect(await sidewaysFocus(p, TAB_PRESSES)).toEqual([]);

        // The cluster's overview: the hyperpod card and the tabs.
        await p.goto(`${APP_URL}/catalog/default/resource/${HELM_CLUSTER}`);
        await p.getByText('Last scanned').waitFor();
        for (const { tab, ratio } of await tabLabelContrasts(p)) {
          expect({ tab, enough: ratio >= 4.5 }).toEqual({ tab, enough: true });
        }
        expect(await horizontalOverflow(p)).toBe(0);
        expect(await isoTimestampsShown(p)).toEqual([]);
        expect(await axeViolations(p)).toEqual([]);
        await screenshotWhole(p, join(SCREENSHOTS, `cluster-overview-${width}.png`));

        // Its hyperpod tab.
        await p.getByRole('tab', { name: 'Hyperpod' }).click();
        await p.getByRole('heading', { name: HELM_CLUSTER, level: 2 }).waitFor();
        await p.getByText('Cluster health').waitFor();
        await p.locator(UPGRADE_FORM).waitFor();
        expect(await horizontalOverflow(p)).toBe(0);
        expect(await brokenWordsInTables(p)).toEqual([]);
        expect(await wrappedHeaders(p)).toEqual([]);
        expect(await isoTimestampsShown(p)).toEqual([]);
        expect(await labelsOverSelectValues(p.locator(UPGRADE_FORM))).toEqual([]);
        expect(await axeViolations(p)).toEqual([]);
        // Before the keyboard walk, which leaves the empty Reason field flagged as it blurs.
        await screenshotWhole(p, join(SCREENSHOTS, `cluster-page-${width}.png`));
        expect(await sidewaysFocus(p, TAB_PRESSES)).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  it('guest: fleet, cluster health and drift, migration, upgrade request, refusals; approver: approval until it has run', async () => {
    // The fleet page, signed in as the guest.
    await page.goto(`${APP_URL}/hyperpod`);
    await page.getByRole('button', { name: 'Enter' }).click();
    const fleet = page.getByRole('table', { name: 'Clusters' });
    await fleet.getByRole('link', { name: HELM_CLUSTER, exact: true }).waitFor();
    await page
      .getByText(`Showing ${DEMO_CLUSTERS.length} of ${DEMO_CLUSTERS.length} clusters`)
      .waitFor();
    // The name cells are <th scope="row">, which Material UI gives role="cell".
    const names = (await fleet.locator('tbody th').allTextContents()).map((n) => n.trim());
    expect([...names].sort()).toEqual(DEMO_CLUSTERS);
    await page.getByText('Helm installs to migrate').waitFor();
    await screenshotWhole(page, join(SCREENSHOTS, 'fleet-page.png'));

    // The Helm-installed cluster's hyperpod tab, reached from the fleet table.
    await fleet.getByRole('link', { name: HELM_CLUSTER, exact: true }).click();
    await page.waitForURL(`**/catalog/default/resource/${HELM_CLUSTER}**`);
    await page.getByRole('tab', { name: 'Hyperpod' }).click();
    await page.waitForURL(clusterTab(HELM_CLUSTER));
    await page.getByRole('heading', { name: HELM_CLUSTER, level: 2 }).waitFor();
    await page.getByText('Cluster health').waitFor();
    await page.getByText('owner group:default/ml-platform').waitFor();
    // Health and drift of the Helm-installed add-ons.
    await page
      .getByText('Helm release kube-system/hyperpod-inference-operator revision 2')
      .first()
      .waitFor();
    await page
      .getByText('older than the default version for Kubernetes 1.31', { exact: false })
      .first()
      .waitFor();
    expect(
      await page.getByRole('button', { name: /version drift: behind default/ }).count(),
    ).toBeGreaterThan(0);
    await screenshotWhole(page, join(SCREENSHOTS, 'cluster-page.png'));

    // Preview the inference operator's migration, start it, see it succeed.
    const migration = page.getByRole('region', {
      name: 'Migrate amazon-sagemaker-hyperpod-inference',
    });
    await migration.getByRole('button', { name: 'Preview plan' }).click();
    const steps = migration.getByRole('list', { name: 'Migration steps' });
    await steps.waitFor();
    await migration.getByText(/Steps \(\d+ steps, \d+ actions\)/).waitFor();
    await migration.getByText('Nothing blocks this plan.').waitFor();
    await steps.getByRole('heading', { name: 'IAM roles' }).waitFor();
    await steps.getByRole('heading', { name: 'Dependency add-ons' }).waitFor();
    await migration.getByRole('button', { name: 'Start migration' }).click();
    const confirm = page.getByRole('dialog', {
      name: 'Migrate amazon-sagemaker-hyperpod-inference to its EKS add-on?',
    });
    await confirm.getByRole('button', { name: 'Start now' }).click();
    // Page-wide: the tab reloads once the run has ended, so the run may already show under the
    // cluster's migration runs rather than in the section it started from.
    await page
      .getByRole('heading', { name: /^Migration run .+: succeeded$/ })
      .first()
      .waitFor({ timeout: 240_000 });
    // The tab reloads once the run has ended (the backend rescanned the cluster): the add-on is no
    // longer a Helm install to migrate, and the run shows under the cluster's migration runs.
    await page
      .getByText(
        'amazon-sagemaker-hyperpod-inference v1.1.0-eksbuild.1 now runs as an EKS add-on.',
        {
          exact: false,
        },
      )
      .waitFor();
    // The rescanned report no longer offers to migrate it.
    await migration.waitFor({ state: 'detached', timeout: 60_000 });

    // An upgrade request on another cluster the guest's group owns.
    await page.goto(clusterTab(UPGRADE_CLUSTER));
    await page.getByRole('heading', { name: UPGRADE_CLUSTER, level: 2 }).waitFor();
    // The form's labels stay above the selects' values, before and after choosing an add-on, and
    // axe-core finds nothing serious in it.
    const form = page.locator(UPGRADE_FORM);
    expect(await labelsOverSelectValues(form)).toEqual([]);
    await page.locator('#hyperpod-upgrade-addon').selectOption(UPGRADE.addon);
    await page.locator('#hyperpod-upgrade-version').waitFor();
    expect(await labelsOverSelectValues(form)).toEqual([]);
    expect(await axeViolations(page, UPGRADE_FORM)).toEqual([]);
    await page.locator('#hyperpod-upgrade-version').selectOption(UPGRADE.to);
    await page.locator('#hyperpod-upgrade-reason').fill('Blocks the move to Kubernetes 1.29');
    await page.getByRole('button', { name: 'Request the upgrade' }).click();
    await page
      .getByText(`Requested: ${UPGRADE.addon} ${UPGRADE.from} → ${UPGRADE.to}`, { exact: false })
      .waitFor();
    // Focus lands on what happened, not on the page's body.
    expect(
      await page.evaluate(() => ({
        body: document.activeElement === document.body,
        text: document.activeElement?.textContent ?? '',
      })),
    ).toEqual({ body: false, text: expect.stringContaining('Requested:') });
    const requests = page.getByRole('table', { name: 'Upgrade requests' });
    const requestRow = requests.getByRole('row').filter({ hasText: UPGRADE.addon });
    await requestRow.getByText('requested (waiting for approval)').waitFor();

    // What the guest may not do, said plainly: approve its own request...
    await page
      .getByText('Only approvers of this cluster may approve or reject requests', { exact: false })
      .waitFor();
    expect(await page.getByRole('button', { name: /^Approve / }).count()).toBe(0);
    // ...or request upgrades on a research-owned cluster.
    await page.goto(clusterTab(RESEARCH_CLUSTER));
    await page.getByRole('heading', { name: RESEARCH_CLUSTER, level: 2 }).waitFor();
    await page
      .getByText(
        'You may not request upgrades on this cluster (permission hyperpod.upgrade.request). Ask its owners.',
      )
      .waitFor();
    expect(await page.getByRole('button', { name: 'Request an upgrade' }).isDisabled()).toBe(true);
    expect(await page.locator('#hyperpod-upgrade-addon').count()).toBe(0);

    // Sign out, sign in as the approver, approve.
    await page.getByText('Sign out', { exact: true }).click();
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Signed in (the session is stored) before navigating, or the navigation drops it.
    await page.getByRole('link', { name: /^Signed in as approver/ }).waitFor({ timeout: 60_000 });
    await page.goto(clusterTab(UPGRADE_CLUSTER));
    await page.getByRole('heading', { name: UPGRADE_CLUSTER, level: 2 }).waitFor();
    await page
      .getByRole('button', { name: `Approve ${UPGRADE.addon} ${UPGRADE.from} → ${UPGRADE.to}` })
      .click();
    await page
      .getByRole('dialog', { name: `Approve the upgrade of ${UPGRADE.addon} to ${UPGRADE.to}?` })
      .getByRole('button', { name: 'Approve request' })
      .click();
    await page
      .getByText(`Request approved: ${UPGRADE.addon} ${UPGRADE.from} → ${UPGRADE.to}`, {
        exact: false,
      })
      .waitFor();

    // The backend carries it out: reload until the request shows succeeded.
    const deadline = Date.now() + 240_000;
    let state = '';
    while (Date.now() < deadline) {
      await page.reload();
      const row = page
        .getByRole('table', { name: 'Upgrade requests' })
        .getByRole('row')
        .filter({ hasText: UPGRADE.addon });
      await row.first().waitFor();
      state = ((await row.first().getByRole('cell').first().textContent()) ?? '').trim();
      if (state === 'succeeded' || state === 'failed' || state === 'rolled back') break;
      await page.waitForTimeout(2_000);
    }
    expect(state).toBe('succeeded');
  });
});
