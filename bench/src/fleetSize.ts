import { numberOption } from './numberOption';

/** The parseArgs options that size the generated fleet: `--clusters`, `--addons`, `--accounts`. */
export const fleetSizeOptions = {
  clusters: { type: 'string' },
  addons: { type: 'string' },
  accounts: { type: 'string' },
} as const;

/** The fleet size those options ask for: 200 clusters with 12 add-ons in 4 accounts by default. */
export function fleetSize(v: { clusters?: string; addons?: string; accounts?: string }): {
  clusters: number;
  addons: number;
  accounts: number;
} {
  return {
    clusters: numberOption(v.clusters, 'clusters', 200),
    addons: numberOption(v.addons, 'addons', 12),
    accounts: numberOption(v.accounts, 'accounts', 4),
  };
}
