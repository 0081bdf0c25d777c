/**
 * An EksGateway that waits for a token before every call: one bucket per AWS account, shared by
 * all regions' gateways of that account, keeps a fleet scan under the account's request rate.
 */
import type {
  CreateAddonInput,
  EksAddon,
  EksAddonConfiguration,
  EksCluster,
  EksGateway,
  EksUpdate,
  UpdateAddonInput,
} from '../ports/EksGateway';
import type { AddonCatalogEntry } from '../addons/addonDrift';
import type { TokenBucket } from './TokenBucket';

export class RateLimitedEksGateway implements EksGateway {
  constructor(
    private readonly inner: EksGateway,
    private readonly bucket: TokenBucket,
  ) {}

  get accountId(): string | undefined {
    return this.inner.accountId;
  }

  get region(): string {
    return this.inner.region;
  }

  private async paced<T>(call: () => Promise<T>): Promise<T> {
    await this.bucket.take();
    return call();
  }

  listClusters(): Promise<string[]> {
    return this.paced(() => this.inner.listClusters());
  }
  describeCluster(name: string): Promise<EksCluster> {
    return this.paced(() => this.inner.describeCluster(name));
  }
  listAddons(clusterName: string): Promise<string[]> {
    return this.paced(() => this.inner.listAddons(clusterName));
  }
  describeAddon(clusterName: string, addonName: string): Promise<EksAddon | undefined> {
    return this.paced(() => this.inner.describeAddon(clusterName, addonName));
  }
  describeAddonVersions(query: {
    addonName?: string;
    kubernetesVersion?: string;
  }): Promise<AddonCatalogEntry[]> {
    return this.paced(() => this.inner.describeAddonVersions(query));
  }
  describeAddonConfiguration(
    addonName: string,
    addonVersion: string,
  ): Promise<EksAddonConfiguration> {
    return this.paced(() => this.inner.describeAddonConfiguration(addonName, addonVersion));
  }
  createAddon(input: CreateAddonInput): Promise<EksAddon> {
    return this.paced(() => this.inner.createAddon(input));
  }
  updateAddon(input: UpdateAddonInput): Promise<EksUpdate> {
    return this.paced(() => this.inner.updateAddon(input));
  }
  deleteAddon(
    clusterName: string,
    addonName: string,
    opts?: { preserve?: boolean },
  ): Promise<EksAddon | undefined> {
    return this.paced(() => this.inner.deleteAddon(clusterName, addonName, opts));
  }
  describeUpdate(clusterName: string, updateId: string, addonName?: string): Promise<EksUpdate> {
    return this.paced(() => this.inner.describeUpdate(clusterName, updateId, addonName));
  }
}
