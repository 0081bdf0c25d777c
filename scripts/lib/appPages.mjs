// The create-app check's look at an app in Chromium: the fleet page lists the sandbox's clusters
// and a cluster's Hyperpod tab shows its add-ons. Screenshots go to `screenshots/<prefix>-*.png`.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const { launchChromium } = createRequire(import.meta.url)('./chromium.cjs');

/**
 * `clusters`: every cluster name of the sandbox; `helmCluster`: one whose tab shows a Helm release
 * to migrate (the demo's inference operator, revision 2).
 */
export async function checkAppPages({ url, clusters, helmCluster, screenshots, prefix }) {
  mkdirSync(screenshots, { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const shot = (name) =>
      page.screenshot({ path: join(screenshots, `${prefix}-${name}.png`), fullPage: true });
    try {
      await page.goto(`${url}/hyperpod`);
      // create-app's apps sign in with the guest provider (the legacy one on its own).
      const guest = page.getByRole('button', { name: 'Enter' });
      const fleetLink = page.getByRole('link', { name: helmCluster, exact: true });
      await fleetLink.or(guest).first().waitFor({ timeout: 120_000 });
      // The sign-in page stays on /hyperpod and shows it once signed in; a reload would ask
      // again (the guest session lives in the page), so the cluster tab is reached by links.
      if (await guest.isVisible()) await guest.click();
      // The first scan of the fleet may still be running: the page shows it once stored.
      await page
        .getByText(`Showing ${clusters.length} of ${clusters.length} clusters`)
        .waitFor({ timeout: 180_000 });
      for (const name of clusters)
        await page.getByRole('link', { name, exact: true }).first().waitFor();
      await page.getByText('Helm installs to migrate').waitFor();
      await shot('fleet-page');

      await page.getByRole('link', { name: helmCluster, exact: true }).first().click();
      await page.waitForURL(`**/catalog/default/resource/${helmCluster}**`);
      await page
        .getByRole('tab', { name: 'Hyperpod' })
        .or(page.getByRole('link', { name: 'Hyperpod', exact: true }))
        .first()
        .click();
      await page.waitForURL(`**/catalog/default/resource/${helmCluster}/hyperpod`);
      // The entity page's header and the tab each name the cluster in an h2.
      await page
        .getByRole('heading', { name: helmCluster, level: 2 })
        .first()
        .waitFor({ timeout: 60_000 });
      await page.getByText('Cluster health').waitFor();
      await page
        .getByText('Helm release kube-system/hyperpod-inference-operator revision 2')
        .first()
        .waitFor();
      await shot('cluster-tab');
    } catch (error) {
      await shot('failure').catch(() => undefined);
      throw error;
    }
  } finally {
    await browser.close();
  }
}
