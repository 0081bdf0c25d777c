/**
 * DescribeAddonVersions answers shared by every cluster of a scan. The answer depends on the
 * add-on only (all Kubernetes versions are fetched at once and filtered locally), so the key is
 * the add-on name: 200 clusters running the same 12 add-ons cost 12 calls, not 2,400.
 */
import type { AddonCatalogEntry } from '../addons/addonDrift';
import type { EksAddonConfiguration, EksGateway } from '../ports/EksGateway';
import { PromiseCache, type PromiseCacheOptions } from './PromiseCache';

export interface AddonCatalogCache {
  /** Every version of the add-on for every Kubernetes version; undefined when EKS does not offer it. */
  get(addonName: string, eks: EksGateway): Promise<AddonCatalogEntry | undefined>;
}

export interface AddonConfigurationCache {
  get(addonName: string, addonVersion: string, eks: EksGateway): Promise<EksAddonConfiguration>;
}

export type CachingOptions = PromiseCacheOptions;

export class CachingAddonCatalog implements AddonCatalogCache {
  private readonly cache: PromiseCache<AddonCatalogEntry | undefined>;

  constructor(private readonly opts: CachingOptions = {}) {
    this.cache = new PromiseCache(opts);
  }

  /** DescribeAddonVersions calls made so far. */
  get calls(): number {
    return this.cache.loads;
  }

  get(addonName: string, eks: EksGateway): Promise<AddonCatalogEntry | undefined> {
    return this.cache.get(addonName, async () => {
      // No retry here: callers (observeCluster) retry, and a failure is not cached.
      const entries = await eks.describeAddonVersions({ addonName });
      return entries.find((e) => e.addonName === addonName);
    });
  }
}

/** DescribeAddonConfiguration answers, keyed by add-on name and version (schemas differ per version). */
export class CachingAddonConfigurations implements AddonConfigurationCache {
  private readonly cache: PromiseCache<EksAddonConfiguration>;

  constructor(private readonly opts: CachingOptions = {}) {
    this.cache = new PromiseCache(opts);
  }

  get calls(): number {
    return this.cache.loads;
  }

  get(addonName: string, addonVersion: string, eks: EksGateway): Promise<EksAddonConfiguration> {
    return this.cache.get(`${addonName}@${addonVersion}`, () =>
      eks.describeAddonConfiguration(addonName, addonVersion),
    );
  }
}
