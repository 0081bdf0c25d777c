/**
 * One upgrade per add-on per cluster at a time: the Lease
 * `kube-system/kubectl-hyperpod-upgrade-<addonName>`, held and renewed while the upgrade runs.
 * EKS itself refuses an UpdateAddon while the add-on is UPDATING, but not a second upgrader
 * starting between the first one's hops or during its rollback: this lock does. Upgrades of other
 * add-ons, and migrations, take other leases and are not blocked.
 */
import {
  LeaseLock,
  LeaseLockedError,
  type LeaseHolder,
  type LeaseOptions,
} from '../migrate/migrationLock';
import type { KubeGateway } from '../ports/KubeGateway';

export const UPGRADE_LEASE_PREFIX = 'kubectl-hyperpod-upgrade-';

/** RFC 1123 subdomain: what Kubernetes accepts as a Lease name. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export class UpgradeLockedError extends LeaseLockedError {
  constructor(
    readonly addonName: string,
    held: LeaseHolder,
  ) {
    super(`another upgrade of ${addonName} holds this cluster`, held);
    this.name = 'UpgradeLockedError';
  }
}

/**
 * The Lease name for `addonName`'s upgrades. AWS add-on names are kebab-case and used as they
 * are; marketplace names (`vendor_product`) are not DNS names, so those are made one and suffixed
 * with a hash of the real name, which keeps two add-ons from sharing a lease.
 */
export function upgradeLeaseName(addonName: string): string {
  if (addonName === '') throw new Error('an add-on name is required for its upgrade lock');
  const plain = `${UPGRADE_LEASE_PREFIX}${addonName}`;
  if (DNS_SUBDOMAIN.test(plain) && plain.length <= 253) return plain;
  const cleaned = addonName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 200);
  return `${UPGRADE_LEASE_PREFIX}${cleaned}-${fnv1a(addonName)}`.replace(/-{2,}/g, '-');
}

/** 32-bit FNV-1a as 8 hex digits: a short, stable digest without Node's crypto. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export class UpgradeLock extends LeaseLock {
  private constructor(
    kube: KubeGateway,
    readonly addonName: string,
    holder: string,
    runId: string,
    opts: LeaseOptions,
  ) {
    super(
      kube,
      {
        name: upgradeLeaseName(addonName),
        purpose: `${addonName} upgrade`,
        lockedError: (held) => new UpgradeLockedError(addonName, held),
      },
      holder,
      runId,
      opts,
    );
  }

  /** Takes the add-on's upgrade lease; UpgradeLockedError when another live run holds it. */
  static async acquire(
    kube: KubeGateway,
    addonName: string,
    holder: string,
    runId: string,
    opts: LeaseOptions = {},
  ): Promise<UpgradeLock> {
    return new UpgradeLock(kube, addonName, holder, runId, opts).acquire();
  }

  /** Throws UpgradeLockedError when another live run holds the add-on's lease; changes nothing. */
  static async check(
    kube: KubeGateway,
    addonName: string,
    runId: string,
    opts: LeaseOptions = {},
  ): Promise<void> {
    return new UpgradeLock(kube, addonName, 'check', runId, opts).check();
  }
}
