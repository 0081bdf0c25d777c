import type { ClusterIdentity, ClusterTarget, ScanError } from '@hyperpod/core';
import type { LoadedKubeconfig } from '@hyperpod/core-node';

/** The clusters the command line chose: BaseCommand's selection flags, checked. */
export interface TargetSelection {
  kubeconfig?: string;
  context?: string;
  clusters: string[];
  allClusters: boolean;
  fleet?: string;
  region?: string;
  profile?: string;
}

/** Fleet sources that could not be read (a discovery account/region), shown like scan errors. */
export type SourceErrors = { cluster: ClusterIdentity; errors: ScanError[] }[];

/** What one source (kubeconfig or fleet file) found, with the kubeconfig holding their contexts. */
export interface TargetsFound {
  targets: ClusterTarget[];
  kubeconfig?: LoadedKubeconfig;
  sourceErrors?: SourceErrors;
}
