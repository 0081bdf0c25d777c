import type { ClusterReport } from '@hyperpod/core';
import { BaseCommand, COMMON_EXIT_CODES, exitCodesHelp } from '../BaseCommand';
import { ExitCode } from '../exitCodes';
import { formatStatus } from '../format/formatStatus';

export default class Status extends BaseCommand<typeof Status> {
  static override summary = 'Health of every EKS add-on and Helm-installed component, per cluster.';
  static override description = `For each cluster: every EKS add-on and every Helm release that has an EKS add-on to move to, how it is installed (addon, helm or both), its version, its health (Healthy, Progressing, Degraded, Missing, Unknown) and why.

Targets the current kubeconfig context's cluster unless --context, --cluster, --all-clusters or --fleet says otherwise. A cluster that cannot be read is still listed, with its error, and sets the exit code.

${exitCodesHelp([...COMMON_EXIT_CODES, ExitCode.Degraded, ExitCode.Drift])}`;

  static override examples = [
    { description: 'The current context’s cluster', command: 'kubectl hyperpod status' },
    {
      description: 'Every cluster of the kubeconfig, with more columns',
      command: 'kubectl hyperpod status -A -o wide',
    },
    {
      description: 'Two clusters by EKS name, as JSON',
      command: 'kubectl hyperpod status --cluster ml-prod-use1 --cluster ml-batch-use1 -o json',
    },
    {
      description: 'A fleet file in CI: exit 5 when anything is degraded',
      command: 'kubectl hyperpod status -f fleet.yaml --fail-on degraded',
    },
  ];

  async run(): Promise<ClusterReport[]> {
    return this.scanAndReport(formatStatus);
  }
}
