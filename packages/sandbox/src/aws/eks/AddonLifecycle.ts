/**
 * An add-on's life on EKS: CreateAddon, UpdateAddon and DeleteAddon validate and answer at once,
 * then the add-on settles after the sandbox's transition time (CREATING → ACTIVE / CREATE_FAILED /
 * DEGRADED, UPDATING → ACTIVE / DEGRADED / UPDATE_FAILED, DELETING → gone), applying or deleting
 * its workloads; scripted failures decide how a transition ends.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddonSpec, AddonVersionSpec } from '../../catalog/AddonSpec';
import { defaultAddonVersion, findAddon } from '../../catalog/findAddon';
import type { KubeClusterApi } from '../../kube/types';
import type { ServiceContext } from '../ServiceContext';
import { AwsError, type AwsRequest, type AwsResponse } from '../types';
import { applyWorkloads } from './applyWorkloads';
import {
  IN_FLIGHT,
  addonArn,
  addonKey,
  addonOf,
  type AddonFailure,
  type AddonIssue,
  type AddonState,
  type AddonStatus,
  type ClusterState,
  type ResolveConflicts,
  type UpdateRecord,
} from './ClusterState';
import { addonView, updateView } from './clusterView';
import { checkConfigurationValues } from './configurationValues';
import {
  blankToUndefined,
  invalidParam,
  optPodIdentity,
  optResolveConflicts,
  optString,
  optStringMap,
} from './parseBody';

interface Pending {
  key: string;
  timer: NodeJS.Timeout;
}

/**
 * The codes an update's errors may carry: the ErrorCode enum of the EKS API (2017-11-01). An
 * add-on issue whose code is not one of them is reported as `Unknown`.
 */
const UPDATE_ERROR_CODES = new Set([
  'AccessDenied',
  'AdmissionRequestDenied',
  'ClusterUnreachable',
  'ConfigurationConflict',
  'EniLimitReached',
  'InsufficientFreeAddresses',
  'InsufficientNumberOfReplicas',
  'IpNotAvailable',
  'K8sResourceNotFound',
  'NodeCreationFailure',
  'OperationNotPermitted',
  'PodEvictionFailure',
  'SecurityGroupNotFound',
  'SubnetNotFound',
  'Unknown',
  'UnsupportedAddonModification',
  'VpcIdNotFound',
]);

export class AddonLifecycle {
  private readonly pending = new Map<string, Pending>();
  private readonly settleWaiters: { key?: string; resolve: () => void }[] = [];
  private failures: AddonFailure[] = [];
  private closed = false;

  constructor(private readonly ctx: ServiceContext) {}

  /** Scripts how the next create/update of an add-on ends. */
  failOn(failure: AddonFailure): void {
    this.failures.push({ ...failure });
  }

  clearFailures(): void {
    this.failures = [];
  }

  /** Resolves once no add-on transition is pending (or only the one of `key`, when given). */
  settled(key: string | undefined): Promise<void> {
    if (key ? !this.pending.has(key) : this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push({ key, resolve }));
  }

  /** Stops pending transitions (they never complete) so the process can exit. */
  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    for (const w of this.settleWaiters.splice(0)) w.resolve();
  }

  create(c: ClusterState, body: Record<string, unknown>): AwsResponse {
    const addonName = optString(body, 'addonName');
    if (!addonName)
      throw invalidParam('addonName is a required parameter', { clusterName: c.name });
    const requestedVersion = optString(body, 'addonVersion');
    const roleArn = optString(body, 'serviceAccountRoleArn');
    const resolve = optResolveConflicts(body);
    const configurationValues = optString(body, 'configurationValues');
    const tags = optStringMap(body, 'tags');
    const podIdentity = optPodIdentity(body);
    if (body['namespaceConfig'] !== undefined && typeof body['namespaceConfig'] !== 'object')
      throw invalidParam('namespaceConfig must be an object');
    const ids = { clusterName: c.name, addonName };

    const existing = c.addons.get(addonName);
    if (existing) {
      throw new AwsError(
        'ResourceInUseException',
        IN_FLIGHT.includes(existing.status)
          ? `Addon ${addonName} is in ${existing.status} state`
          : 'Addon already exists.',
        409,
        'Sender',
        ids,
      );
    }
    if (resolve === 'PRESERVE')
      throw invalidParam(
        'Resolve conflicts PRESERVE is not supported for CreateAddon; use NONE or OVERWRITE',
        ids,
      );
    this.requireActiveCluster(c, ids);
    const spec = findAddon(addonName);
    if (!spec)
      throw invalidParam(
        `Addon ${addonName} specified is not supported in ${c.version} kubernetes version`,
        ids,
      );
    const addonVersion = requestedVersion ?? defaultAddonVersion(addonName, c.version);
    if (!addonVersion)
      throw invalidParam(
        `Addon ${addonName} specified is not supported in ${c.version} kubernetes version`,
        ids,
      );
    const version = this.compatibleVersion(c, spec, addonVersion, ids);
    const check = checkConfigurationValues(configurationValues, version.configurationSchema);
    if (!check.ok) throw invalidParam(check.message, ids);
    if (roleArn !== undefined && !/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/.+/.test(roleArn))
      throw invalidParam(`Invalid serviceAccountRoleArn: ${roleArn}`, ids);
    this.checkPodIdentity(version, podIdentity, ids);

    const now = Date.now();
    const addon: AddonState = {
      addonName,
      addonVersion,
      status: 'CREATING',
      issues: [],
      arn: addonArn(c, addonName),
      createdAt: now,
      modifiedAt: now,
      serviceAccountRoleArn: roleArn,
      configurationValues: blankToUndefined(configurationValues),
      tags: tags ?? {},
      podIdentityAssociations: podIdentity.map(
        () =>
          `arn:aws:eks:${c.region}:${c.accountId}:podidentityassociation/${c.name}/a-${randomBytes(9).toString('hex').slice(0, 17)}`,
      ),
      applied: [],
    };
    c.addons.set(addonName, addon);
    this.schedule(c, addon, () =>
      this.finishCreate(c, addon, spec, check.values, resolve ?? 'NONE'),
    );
    return { body: { addon: addonView(c, addon) } };
  }

  update(c: ClusterState, addonName: string, body: Record<string, unknown>): AwsResponse {
    const ids = { clusterName: c.name, addonName };
    const addon = addonOf(c, addonName);
    const requestedVersion = optString(body, 'addonVersion');
    const roleArn = optString(body, 'serviceAccountRoleArn');
    const resolve = optResolveConflicts(body);
    const configurationValues = optString(body, 'configurationValues');
    const podIdentity =
      body['podIdentityAssociations'] === undefined ? undefined : optPodIdentity(body);
    requireSettled(addon, 'updated', ids);
    this.requireActiveCluster(c, ids);
    const spec = findAddon(addonName)!;
    const targetVersion = requestedVersion ?? addon.addonVersion;
    const version = this.compatibleVersion(c, spec, targetVersion, ids);
    const nextConfig =
      configurationValues !== undefined
        ? blankToUndefined(configurationValues)
        : addon.configurationValues;
    const check = checkConfigurationValues(nextConfig, version.configurationSchema);
    if (!check.ok) throw invalidParam(check.message, ids);
    if (
      roleArn !== undefined &&
      roleArn !== '' &&
      !/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/.+/.test(roleArn)
    )
      throw invalidParam(`Invalid serviceAccountRoleArn: ${roleArn}`, ids);
    if (podIdentity) this.checkPodIdentity(version, podIdentity, ids);

    const params: UpdateRecord['params'] = [];
    if (requestedVersion !== undefined)
      params.push({ type: 'AddonVersion', value: requestedVersion });
    if (roleArn !== undefined) params.push({ type: 'ServiceAccountRoleArn', value: roleArn });
    if (resolve !== undefined) params.push({ type: 'ResolveConflicts', value: resolve });
    if (configurationValues !== undefined)
      params.push({ type: 'ConfigurationValues', value: configurationValues });
    if (podIdentity !== undefined)
      params.push({ type: 'PodIdentityAssociations', value: JSON.stringify(podIdentity) });
    const update: UpdateRecord = {
      id: randomUUID(),
      addonName,
      status: 'InProgress',
      type: 'AddonUpdate',
      params,
      createdAt: Date.now(),
      errors: [],
    };
    c.updates.unshift(update);

    // EKS does not roll back: the requested version and configuration are the add-on's from now on,
    // whatever the outcome.
    addon.status = 'UPDATING';
    addon.addonVersion = targetVersion;
    addon.configurationValues = nextConfig;
    if (roleArn !== undefined) addon.serviceAccountRoleArn = roleArn === '' ? undefined : roleArn;
    addon.modifiedAt = Date.now();
    this.schedule(c, addon, () =>
      this.finishUpdate(c, addon, spec, check.values, resolve ?? 'NONE', update),
    );
    return { body: { update: updateView(update) } };
  }

  /** DeleteAddon on `c` (looked up by the caller from the request's path). */
  delete(req: AwsRequest, c: ClusterState, addonName: string): AwsResponse {
    const clusterName = c.name;
    const addon = addonOf(c, addonName);
    const rawPreserve = req.query.get('preserve');
    if (rawPreserve !== null && rawPreserve !== 'true' && rawPreserve !== 'false')
      throw invalidParam(`preserve must be a boolean, got '${rawPreserve}'`, {
        clusterName,
        addonName,
      });
    requireSettled(addon, 'deleted', { clusterName, addonName });
    const preserve = rawPreserve === 'true';
    addon.status = 'DELETING';
    addon.modifiedAt = Date.now();
    this.schedule(c, addon, () => {
      if (!preserve) {
        const kube = this.kube(c);
        if (kube) for (const ref of [...addon.applied].reverse()) kube.delete(ref);
      }
      c.addons.delete(addonName);
      c.updates = c.updates.filter((u) => u.addonName !== addonName);
    });
    return { body: { addon: addonView(c, addon) } };
  }

  // ---- asynchronous life ----------------------------------------------------------------------

  private schedule(c: ClusterState, addon: AddonState, settle: () => void): void {
    if (this.closed) return;
    const key = addonKey(c.accountId, c.region, c.name, addon.addonName);
    const timer = setTimeout(() => {
      this.pending.delete(key);
      try {
        settle();
      } finally {
        this.notifySettled(key);
      }
    }, this.ctx.timing.addonTransitionMs);
    timer.unref();
    this.pending.set(key, { key, timer });
  }

  private notifySettled(key: string): void {
    for (let i = this.settleWaiters.length - 1; i >= 0; i--) {
      const w = this.settleWaiters[i]!;
      if (w.key === undefined ? this.pending.size === 0 : w.key === key) {
        this.settleWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private finishCreate(
    c: ClusterState,
    addon: AddonState,
    spec: AddonSpec,
    config: Record<string, unknown>,
    resolve: ResolveConflicts,
  ): void {
    addon.modifiedAt = Date.now();
    const failure = this.takeFailure(addon, 'create');
    if (failure) {
      addon.status = failure.outcome === 'DEGRADED' ? 'DEGRADED' : 'CREATE_FAILED';
      addon.issues = [
        failure.issue ?? {
          code: 'InternalFailure',
          message: 'Addon creation failed',
          resourceIds: [],
        },
      ];
      if (addon.status === 'DEGRADED')
        applyWorkloads(this.kube(c), c, addon, spec, config, 'OVERWRITE', failure.issue);
      return;
    }
    const result = applyWorkloads(this.kube(c), c, addon, spec, config, resolve);
    addon.issues = result.issues;
    addon.status = result.issues.length ? 'CREATE_FAILED' : 'ACTIVE';
  }

  private finishUpdate(
    c: ClusterState,
    addon: AddonState,
    spec: AddonSpec,
    config: Record<string, unknown>,
    resolve: ResolveConflicts,
    update: UpdateRecord,
  ): void {
    addon.modifiedAt = Date.now();
    const failure = this.takeFailure(addon, 'update');
    let issues: AddonIssue[];
    let failedStatus: AddonStatus = 'DEGRADED';
    if (failure) {
      issues = [
        failure.issue ?? {
          code: 'InternalFailure',
          message: 'Addon update failed',
          resourceIds: [],
        },
      ];
      failedStatus = failure.outcome === 'UPDATE_FAILED' ? 'UPDATE_FAILED' : 'DEGRADED';
      // The new version is rolled out even though it does not become healthy.
      applyWorkloads(this.kube(c), c, addon, spec, config, 'OVERWRITE', failure.issue);
    } else {
      issues = applyWorkloads(this.kube(c), c, addon, spec, config, resolve).issues;
    }
    addon.issues = issues;
    if (issues.length === 0) {
      addon.status = 'ACTIVE';
      update.status = 'Successful';
      return;
    }
    addon.status = failedStatus;
    update.status = 'Failed';
    update.errors = issues.map((i) => ({
      errorCode: UPDATE_ERROR_CODES.has(i.code) ? i.code : 'Unknown',
      errorMessage: i.message,
      resourceIds: i.resourceIds ?? [],
    }));
  }

  private takeFailure(addon: AddonState, kind: 'create' | 'update'): AddonFailure | undefined {
    const i = this.failures.findIndex(
      (f) =>
        f.kind === kind &&
        f.addonName === addon.addonName &&
        (f.addonVersion === undefined || f.addonVersion === addon.addonVersion),
    );
    if (i < 0) return undefined;
    const f = this.failures[i]!;
    if (f.times !== undefined && --f.times <= 0) this.failures.splice(i, 1);
    return f;
  }

  private kube(c: ClusterState): KubeClusterApi | undefined {
    return this.ctx.kubeFor(c.accountId, c.region, c.name);
  }

  private requireActiveCluster(c: ClusterState, ids: Record<string, string>): void {
    if (c.status !== 'ACTIVE')
      throw new AwsError(
        'InvalidRequestException',
        `Cluster ${c.name} is in ${c.status} state; add-ons can only be changed on an ACTIVE cluster`,
        400,
        'Sender',
        ids,
      );
  }

  private compatibleVersion(
    c: ClusterState,
    spec: AddonSpec,
    addonVersion: string,
    ids: Record<string, string>,
  ): AddonVersionSpec {
    const v = spec.versions.find((x) => x.addonVersion === addonVersion);
    if (!v)
      throw invalidParam(
        `Addon version ${addonVersion} specified is not supported for addon ${spec.addonName}`,
        ids,
      );
    if (!v.clusterVersions.includes(c.version)) {
      throw invalidParam(
        `Addon version ${addonVersion} of ${spec.addonName} is not supported in ${c.version} kubernetes version`,
        ids,
      );
    }
    return v;
  }

  private checkPodIdentity(
    v: AddonVersionSpec,
    assocs: { serviceAccount: string; roleArn: string }[],
    ids: Record<string, string>,
  ): void {
    for (const a of assocs) {
      if (!v.podIdentityConfiguration.some((p) => p.serviceAccount === a.serviceAccount)) {
        throw invalidParam(
          `Service account ${a.serviceAccount} is not supported for pod identity by addon ${v.addonVersion}`,
          ids,
        );
      }
    }
  }
}

/** An add-on in transition cannot be updated or deleted until it settles. */
function requireSettled(
  addon: AddonState,
  verb: 'updated' | 'deleted',
  ids: Record<string, string>,
): void {
  if (IN_FLIGHT.includes(addon.status)) {
    throw new AwsError(
      'ResourceInUseException',
      `Addon ${addon.addonName} is in ${addon.status} state and cannot be ${verb}`,
      409,
      'Sender',
      ids,
    );
  }
}
