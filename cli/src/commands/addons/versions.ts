import { Args } from '@oclif/core';
import type { AddonVersionsReport } from '../../AddonVersionsReport';
import { listAddonVersions } from '../../wiring/listAddonVersions';
import { resolveTargets } from '../../wiring/resolveTargets';
import { BaseCommand, COMMON_EXIT_CODES, exitCodesHelp } from '../../BaseCommand';
import { formatAddonVersions } from '../../format/formatAddonVersions';
import { validateAddonName } from '../../validateNames';

export default class AddonsVersions extends BaseCommand<typeof AddonsVersions> {
  static override summary = "Versions of an EKS add-on offered for a cluster's Kubernetes version.";
  static override description = `Lists the versions of add-on NAME that EKS offers for the cluster's Kubernetes version, newest first, marking the default (what EKS installs when no version is given) and the installed one.

${exitCodesHelp(COMMON_EXIT_CODES)}`;

  static override args = {
    name: Args.string({
      description: 'EKS add-on name, e.g. amazon-sagemaker-hyperpod-inference',
      required: true,
    }),
  };

  static override examples = [
    {
      description: 'For the current context’s cluster',
      command: 'kubectl hyperpod addons versions amazon-sagemaker-hyperpod-inference',
    },
    {
      description:
        'For a named cluster, with every Kubernetes version each add-on version supports',
      command: 'kubectl hyperpod addons versions vpc-cni --cluster ml-prod-use1 -o wide',
    },
  ];

  async run(): Promise<AddonVersionsReport[]> {
    const name = this.args.name;
    validateAddonName(name, (v) => this.commandLine.withArgument(name, v));
    const selection = this.selection();
    const timeoutMs = this.timeoutMs;
    const { targets, sourceErrors } = await resolveTargets(selection, this.commandLine, timeoutMs);
    const reports = await listAddonVersions(
      targets,
      name,
      { timeoutMs, concurrency: this.flags.concurrency, rateLimit: this.flags['rate-limit'] },
      this.commandLine,
    );
    await this.print(reports, formatAddonVersions);
    this.finish([...sourceErrors, ...reports]);
    return reports;
  }
}
