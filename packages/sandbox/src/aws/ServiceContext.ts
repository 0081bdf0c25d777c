/**
 * What every emulated AWS service can reach besides its own state: the credential registry and
 * the sandbox clusters' Kubernetes APIs. Services hold their own state and expose seeding
 * methods the scenarios call, and `snapshot()` for state comparison.
 */
import type { Accounts } from './Accounts';
import type { KubeClusterApi } from '../kube/types';

export interface ServiceContext {
  accounts: Accounts;
  /** The Kubernetes API of the EKS cluster `name` in `accountId`/`region`, if the sandbox runs one. */
  kubeFor(accountId: string, region: string, name: string): KubeClusterApi | undefined;
  /** Timing knobs of asynchronous AWS work (add-on create/update/delete), settable at run time. */
  timing: AsyncTiming;
}

export interface AsyncTiming {
  /** Time an add-on spends CREATING / UPDATING / DELETING before it settles, in ms. */
  addonTransitionMs: number;
}

/** Implemented by every emulated service so the sandbox can snapshot the whole fleet. */
export interface Snapshottable {
  /** Plain JSON data of the service's state, stable key order not required. */
  snapshot(): unknown;
}
