import type { ClusterReport } from '@hyperpod/core';
import { BaseCommand, COMMON_EXIT_CODES, exitCodesHelp } from '../BaseCommand';
import { ExitCode } from '../exitCodes';
import { formatDrift } from '../format/formatDrift';

export default class Drift extends BaseCommand<typeof Drift> {
  static override summary = 'Add-on version drift and readiness for the next Kubernetes version.';
  static override description = `For each add-on (and each Helm install that maps to an add-on): VIA (addon, helm, both); VERSION, the EKS add-on version it runs (for a Helm install the add-on version carrying the same software, <none> when none does); DEFAULT and LATEST, what EKS offers for the cluster's Kubernetes version; STATUS, VERSION against them (latest, default = on the default while newer exist, behind-latest, behind-default, incompatible = not offered for this Kubernetes version); NEXT-K8S, whether it can stay as is when the cluster moves to the next Kubernetes version (ready, upgrade = move to a version offered on both first, after = no version runs on both, so update it right after the control plane, blocked = no version offered there).

-o wide appends CHART (the Helm chart version), NEWER, K8S, TARGET-K8S (the version NEXT-K8S is judged for) and REQUIRED (the version to reach).

${exitCodesHelp([...COMMON_EXIT_CODES, ExitCode.Degraded, ExitCode.Drift])}`;

  static override examples = [
    { description: 'Drift of the current context’s cluster', command: 'kubectl hyperpod drift' },
    {
      description: 'Every cluster, with the versions each add-on must reach first',
      command: 'kubectl hyperpod drift -A -o wide',
    },
    {
      description: 'Gate a pipeline on drift (exit 6)',
      command: 'kubectl hyperpod drift -f fleet.yaml --fail-on drift',
    },
  ];

  async run(): Promise<ClusterReport[]> {
    return this.scanAndReport(formatDrift);
  }
}
