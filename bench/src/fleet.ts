/**
 * The benchmarks' generated sandbox fleet (shared by `fleetScan` and `fleetSummary`): N clusters
 * over A accounts and two regions, Kubernetes 1.30 / 1.31 / 1.32 in turn, each running the same
 * add-ons at their default versions. Also the figures table the benchmarks print.
 */
import {
  ADDON_CATALOG,
  defaultAddonVersion,
  findAddonVersion,
  type Scenario,
} from '@hyperpod/sandbox';

export const K8S_VERSIONS = ['1.30', '1.31', '1.32'];
export const REGIONS = ['us-east-1', 'us-west-2'];

export interface FleetShape {
  clusters: number;
  accounts: number;
}

export interface FleetCluster {
  name: string;
  accountId: string;
  /** The sandbox account's alias (an AWS profile name in the portal's credentials file). */
  account: string;
  region: string;
  version: string;
}

/** Add-ons with a default version on every Kubernetes version of the fleet that needs no configuration. */
export function fleetAddons(count: number): string[] {
  const names = ADDON_CATALOG.map((a) => a.addonName).filter((n) =>
    K8S_VERSIONS.every((v) => {
      const d = defaultAddonVersion(n, v);
      return d !== undefined && !findAddonVersion(n, d)?.requiresConfiguration;
    }),
  );
  if (names.length < count)
    throw new Error(`the sandbox catalog has only ${names.length} add-ons on ${K8S_VERSIONS}`);
  return names.slice(0, count);
}

/** A scenario seeding the fleet; the clusters it creates are pushed onto `out`. */
export function fleetScenario(shape: FleetShape, addons: string[], out: FleetCluster[]): Scenario {
  return {
    name: 'bench-fleet',
    description: `${shape.clusters} clusters x ${addons.length} add-ons over ${shape.accounts} accounts`,
    async seed(sb) {
      const accounts = Array.from({ length: shape.accounts }, (_, i) =>
        sb.addAccount(`acct${i + 1}`, String(100000000000 + (i + 1) * 111111111).padStart(12, '0')),
      );
      for (let i = 0; i < shape.clusters; i++) {
        const account = accounts[i % accounts.length]!;
        const region = REGIONS[Math.floor(i / accounts.length) % REGIONS.length]!;
        const version = K8S_VERSIONS[i % K8S_VERSIONS.length]!;
        const name = `fleet-${String(i).padStart(3, '0')}`;
        await sb.addCluster({ account: account.accountId, region, name, version });
        for (const addonName of addons) {
          sb.services.eks.seedAddon({
            accountId: account.accountId,
            region,
            clusterName: name,
            addonName,
            addonVersion: defaultAddonVersion(addonName, version)!,
            applyWorkloads: false,
          });
        }
        out.push({ name, accountId: account.accountId, account: account.alias, region, version });
      }
    },
  };
}

/** Rows as left-aligned columns (the first row is the header). */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
