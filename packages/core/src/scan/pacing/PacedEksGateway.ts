/**
 * An EksGateway whose every call takes a token from the pacer for its scope (account and region)
 * and reports how it was answered: a throttling error cuts the scope's rate, any other answer
 * raises it. Unavailable and Timeout say nothing about the rate.
 */
import type {
  CreateAddonInput,
  EksAddon,
  EksAddonConfiguration,
  EksCluster,
  EksGateway,
  EksUpdate,
  UpdateAddonInput,
} from '../../ports/EksGateway';
import type { AddonCatalogEntry } from '../../addons/addonDrift';
import { GatewayError } from '../../ports/GatewayError';
import type { Pacer } from './Pacer';

export class PacedEksGateway implements EksGateway {
  constructor(
    private readonly inner: EksGateway,
    private readonly pacer: Pacer,
    private readonly scope: string,
  ) {}

  get accountId(): string | undefined {
    return this.inner.accountId;
  }

  get region(): string {
    return this.inner.region;
  }

  private async paced<T>(call: () => Promise<T>): Promise<T> {
    const ticket = await this.pacer.take(this.scope);
    try {
      const result = await call();
      this.pacer.succeeded(ticket);
      return result;
    } catch (error) {
      if (error instanceof GatewayError && error.kind === 'Throttled') this.pacer.throttled(ticket);
      else if (!(
        error instanceof GatewayError &&
        (error.kind === 'Unavailable' || error.kind === 'Timeout')
      ))
        this.pacer.succeeded(ticket);
      throw error;
    }
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
