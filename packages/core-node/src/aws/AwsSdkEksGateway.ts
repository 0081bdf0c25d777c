/**
 * EksGateway on the AWS SDK v3 EKS client: lists paginated to the end, SDK dates as ISO strings,
 * every failure a GatewayError.
 */
import type { Addon, AddonInfo, Cluster, EKSClient, Update } from '@aws-sdk/client-eks';
import type {
  AddonCatalogEntry,
  CreateAddonInput,
  EksAddon,
  EksAddonConfiguration,
  EksCluster,
  EksGateway,
  EksUpdate,
  UpdateAddonInput,
} from '@hyperpod/core';
import { GatewayError } from '@hyperpod/core';
import { isoDate, lazyClient, type ClientSource } from './lazyClient';
import { toGatewayError } from './toGatewayError';

type EksSdk = typeof import('@aws-sdk/client-eks');
let sdkModule: Promise<EksSdk> | undefined;
const loadSdk = (): Promise<EksSdk> => (sdkModule ??= import('@aws-sdk/client-eks'));

export interface AwsSdkEksGatewayOptions {
  region: string;
  accountId?: string;
  /** maxResults of list calls (1..100). Default 100, the fewest calls. */
  pageSize?: number;
}

export class AwsSdkEksGateway implements EksGateway {
  readonly region: string;
  readonly accountId?: string;
  private readonly client: () => Promise<EKSClient>;
  private readonly pageSize: number;

  constructor(client: ClientSource<EKSClient>, opts: AwsSdkEksGatewayOptions) {
    this.client = lazyClient(client);
    this.pageSize = opts.pageSize ?? 100;
    this.region = opts.region;
    this.accountId = opts.accountId;
  }

  async listClusters(): Promise<string[]> {
    return this.call('ListClusters', async (c, sdk) => {
      const names: string[] = [];
      let nextToken: string | undefined;
      do {
        const out = await c.send(
          new sdk.ListClustersCommand({ nextToken, maxResults: this.pageSize }),
        );
        names.push(...(out.clusters ?? []));
        nextToken = out.nextToken;
      } while (nextToken);
      return names;
    });
  }

  async describeCluster(name: string): Promise<EksCluster> {
    return this.call('DescribeCluster', async (c, sdk) => {
      const out = await c.send(new sdk.DescribeClusterCommand({ name }));
      if (!out.cluster) throw answeredWithout('DescribeCluster', name, 'a cluster');
      return this.toCluster(out.cluster);
    });
  }

  async listAddons(clusterName: string): Promise<string[]> {
    return this.call('ListAddons', async (c, sdk) => {
      const names: string[] = [];
      let nextToken: string | undefined;
      do {
        const out = await c.send(
          new sdk.ListAddonsCommand({ clusterName, nextToken, maxResults: this.pageSize }),
        );
        names.push(...(out.addons ?? []));
        nextToken = out.nextToken;
      } while (nextToken);
      return names;
    });
  }

  async describeAddon(clusterName: string, addonName: string): Promise<EksAddon | undefined> {
    try {
      return await this.call('DescribeAddon', async (c, sdk) => {
        const out = await c.send(new sdk.DescribeAddonCommand({ clusterName, addonName }));
        return out.addon ? toAddon(out.addon, clusterName) : undefined;
      });
    } catch (e) {
      // A missing add-on is an answer; a missing cluster is still an error (its message names
      // the cluster, which is how EKS tells the two ResourceNotFoundExceptions apart).
      if (
        e instanceof GatewayError &&
        e.kind === 'NotFound' &&
        !/no cluster found/i.test(e.message)
      )
        return undefined;
      throw e;
    }
  }

  async describeAddonVersions(query: {
    addonName?: string;
    kubernetesVersion?: string;
  }): Promise<AddonCatalogEntry[]> {
    return this.call('DescribeAddonVersions', async (c, sdk) => {
      const entries: AddonCatalogEntry[] = [];
      let nextToken: string | undefined;
      do {
        const out = await c.send(
          new sdk.DescribeAddonVersionsCommand({
            addonName: query.addonName,
            kubernetesVersion: query.kubernetesVersion,
            nextToken,
            maxResults: this.pageSize,
          }),
        );
        entries.push(...(out.addons ?? []).map(toCatalogEntry));
        nextToken = out.nextToken;
      } while (nextToken);
      return entries;
    });
  }

  async describeAddonConfiguration(
    addonName: string,
    addonVersion: string,
  ): Promise<EksAddonConfiguration> {
    return this.call('DescribeAddonConfiguration', async (c, sdk) => {
      const out = await c.send(
        new sdk.DescribeAddonConfigurationCommand({ addonName, addonVersion }),
      );
      return {
        addonName: out.addonName ?? addonName,
        addonVersion: out.addonVersion ?? addonVersion,
        configurationSchema: out.configurationSchema,
      };
    });
  }

  async createAddon(input: CreateAddonInput): Promise<EksAddon> {
    return this.call('CreateAddon', async (c, sdk) => {
      const out = await c.send(new sdk.CreateAddonCommand({ ...input }));
      if (!out.addon) throw answeredWithout('CreateAddon', input.addonName, 'an add-on');
      return toAddon(out.addon, input.clusterName);
    });
  }

  async updateAddon(input: UpdateAddonInput): Promise<EksUpdate> {
    return this.call('UpdateAddon', async (c, sdk) => {
      const out = await c.send(new sdk.UpdateAddonCommand({ ...input }));
      if (!out.update) throw answeredWithout('UpdateAddon', input.addonName, 'an update');
      return toUpdate(out.update);
    });
  }

  async deleteAddon(
    clusterName: string,
    addonName: string,
    opts: { preserve?: boolean } = {},
  ): Promise<EksAddon | undefined> {
    return this.call('DeleteAddon', async (c, sdk) => {
      const out = await c.send(
        new sdk.DeleteAddonCommand({ clusterName, addonName, preserve: opts.preserve }),
      );
      return out.addon ? toAddon(out.addon, clusterName) : undefined;
    });
  }

  async describeUpdate(
    clusterName: string,
    updateId: string,
    addonName?: string,
  ): Promise<EksUpdate> {
    return this.call('DescribeUpdate', async (c, sdk) => {
      const out = await c.send(
        new sdk.DescribeUpdateCommand({ name: clusterName, updateId, addonName }),
      );
      if (!out.update) throw answeredWithout('DescribeUpdate', updateId, 'an update');
      return toUpdate(out.update);
    });
  }

  private async call<T>(
    operation: string,
    run: (client: EKSClient, sdk: EksSdk) => Promise<T>,
  ): Promise<T> {
    try {
      const [client, sdk] = await Promise.all([this.client(), loadSdk()]);
      return await run(client, sdk);
    } catch (e) {
      throw toGatewayError(e, 'eks', operation);
    }
  }

  private toCluster(c: Cluster): EksCluster {
    const arn = c.arn ?? '';
    const fromArn = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):(\d{12}):cluster\//.exec(arn);
    return {
      name: c.name ?? '',
      arn,
      accountId: fromArn?.[2] ?? this.accountId ?? '',
      region: fromArn?.[1] ?? this.region,
      version: c.version ?? '',
      status: c.status ?? 'UNKNOWN',
      ...(c.endpoint ? { endpoint: c.endpoint } : {}),
      ...(c.identity?.oidc?.issuer ? { oidcIssuer: c.identity.oidc.issuer } : {}),
      ...(c.platformVersion ? { platformVersion: c.platformVersion } : {}),
      ...(c.createdAt ? { createdAt: isoDate(c.createdAt) } : {}),
      tags: { ...(c.tags ?? {}) },
    };
  }
}

/** An answer without the object the operation returns (EKS always sends one). */
function answeredWithout(operation: string, subject: string, what: string): GatewayError {
  return new GatewayError(
    'Unknown',
    `${operation} ${subject} answered without ${what}`,
    'eks',
    operation,
  );
}

function toAddon(a: Addon, clusterName: string): EksAddon {
  return {
    clusterName: a.clusterName ?? clusterName,
    addonName: a.addonName ?? '',
    addonVersion: a.addonVersion ?? '',
    status: a.status ?? 'UNKNOWN',
    issues: (a.health?.issues ?? []).map((i) => ({
      code: i.code ?? 'Unknown',
      ...(i.message !== undefined ? { message: i.message } : {}),
      ...(i.resourceIds?.length ? { resourceIds: [...i.resourceIds] } : {}),
    })),
    ...(a.addonArn ? { arn: a.addonArn } : {}),
    ...(a.configurationValues !== undefined ? { configurationValues: a.configurationValues } : {}),
    ...(a.serviceAccountRoleArn ? { serviceAccountRoleArn: a.serviceAccountRoleArn } : {}),
    ...(a.createdAt ? { createdAt: isoDate(a.createdAt) } : {}),
    ...(a.modifiedAt ? { modifiedAt: isoDate(a.modifiedAt) } : {}),
  };
}

function toCatalogEntry(a: AddonInfo): AddonCatalogEntry {
  return {
    addonName: a.addonName ?? '',
    versions: (a.addonVersions ?? []).map((v) => ({
      addonVersion: v.addonVersion ?? '',
      compatibilities: (v.compatibilities ?? []).map((c) => ({
        clusterVersion: c.clusterVersion ?? '',
        defaultVersion: c.defaultVersion ?? false,
      })),
    })),
  };
}

function toUpdate(u: Update): EksUpdate {
  return {
    id: u.id ?? '',
    status: u.status ?? 'InProgress',
    type: u.type ?? '',
    params: (u.params ?? []).map((p) => ({ type: p.type ?? '', value: p.value ?? '' })),
    errors: (u.errors ?? []).map((e) => ({
      ...(e.errorCode !== undefined ? { errorCode: e.errorCode } : {}),
      ...(e.errorMessage !== undefined ? { errorMessage: e.errorMessage } : {}),
      ...(e.resourceIds?.length ? { resourceIds: [...e.resourceIds] } : {}),
    })),
    ...(u.createdAt ? { createdAt: isoDate(u.createdAt) } : {}),
  };
}
