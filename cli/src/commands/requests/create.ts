import { randomUUID } from 'node:crypto';
import { Flags } from '@oclif/core';
import { IDEMPOTENCY_KEY, type UpgradeRequest } from '@hyperpod/core';
import { COMMON_EXIT_CODES, exitCodesHelp } from '../../BaseCommand';
import { ExitCode } from '../../exitCodes';
import { usageError } from '../../CliError';
import { validateAddonName, validateUpgradeTarget } from '../../validateNames';
import {
  PORTAL_FLAGS,
  PORTAL_HELP,
  portalBaseFlags,
  REQUEST_ID,
  RequestsCommand,
} from '../../requests/RequestsCommand';

const REASON_MIN = 3;
const REASON_MAX = 2000;

export default class RequestsCreate extends RequestsCommand<typeof RequestsCreate> {
  static override summary = 'Ask for an add-on upgrade on one cluster; an approver decides.';
  static override description = `Creates an upgrade request in the portal: add-on --addon on cluster --cluster to --to (a version, \`default\`: the default for the cluster's Kubernetes version, or \`latest\`), with --reason for the approver. The backend plans the upgrade first and refuses, with nothing created, a target it may not reach (exit 2: not offered for the cluster's Kubernetes version, a downgrade, a configuration the target's schema rejects...), an add-on that is already at the target or already has an open request (exit 12). The caller needs permission hyperpod.upgrade.request on the cluster.

Each run sends a fresh Idempotency-Key (or --idempotency-key): when a call times out or the connection drops, run the same command with the key the error names, and the backend answers with the request it created, never a second one.

Prints the request (requested, with the version --to resolved to); an approver then runs requests approve ID.

${PORTAL_HELP}

${exitCodesHelp([...COMMON_EXIT_CODES, ExitCode.RequestConflict])}`;

  static override baseFlags = portalBaseFlags(
    'The cluster: its name or EKS ARN as the portal knows it.',
  );

  static override flags = {
    addon: Flags.string({
      summary: 'The EKS add-on to upgrade, e.g. vpc-cni or amazon-sagemaker-hyperpod-inference.',
      helpValue: 'ADDON',
    }),
    to: Flags.string({
      summary:
        'Version to upgrade to: a version, `default` (the default for the cluster’s Kubernetes version) or `latest`.',
      helpValue: 'VERSION|default|latest',
    }),
    reason: Flags.string({
      summary: `Why the upgrade is needed, for the approver (${REASON_MIN} to ${REASON_MAX} characters).`,
      helpValue: 'TEXT',
    }),
    'idempotency-key': Flags.string({
      summary:
        'Key that makes a retry safe: the backend creates one request per key (default: a new random key per run).',
      helpValue: 'KEY',
    }),
    ...PORTAL_FLAGS,
  };

  static override examples = [
    {
      description: 'Ask for the newest vpc-cni on one cluster',
      command:
        "kubectl hyperpod requests create --cluster ml-prod-use1 --addon vpc-cni --to latest --reason 'CVE-2025-1234 fix'",
    },
    {
      description: 'In a pipeline: the id of the new request',
      command:
        "kubectl hyperpod requests create --cluster ml-prod-use1 --addon coredns --to default --reason 'K8s 1.32 prep' -o json | jq -r .id",
    },
  ];

  async run(): Promise<UpgradeRequest> {
    const f = this.flags;
    const clusters = f.cluster ?? [];
    if (clusters.length !== 1)
      throw usageError(
        clusters.length === 0
          ? '--cluster is required: the cluster whose add-on to upgrade'
          : `a request is for one cluster; --cluster was given ${clusters.length} times (one request each: run create once per cluster)`,
        this.commandLine.with({ cluster: clusters[0] ?? '<cluster>' }),
      );
    const cluster = clusters[0]!;
    this.validateClusterRef(cluster);
    if (f.addon === undefined)
      throw usageError(
        '--addon is required: the EKS add-on to upgrade',
        this.commandLine.with({ addon: 'vpc-cni' }),
      );
    validateAddonName(f.addon, (v) => this.commandLine.with({ addon: v }));
    const to = validateUpgradeTarget(f.to, (v) => this.commandLine.with({ to: v }));
    if (f.reason === undefined)
      throw usageError(
        '--reason is required: why the upgrade is needed (the approver reads it)',
        this.commandLine.with({ reason: '<why>' }),
      );
    const reason = this.checkText('reason', f.reason, REASON_MIN, REASON_MAX);
    const key = f['idempotency-key'] ?? randomUUID();
    if (!IDEMPOTENCY_KEY.pattern.test(key))
      throw usageError(
        `--idempotency-key "${key}" must be ${IDEMPOTENCY_KEY.rule}`,
        this.commandLine.with({ 'idempotency-key': randomUUID() }),
      );

    const retryWith = (flags: Record<string, string | true | undefined>) =>
      this.commandLine.with({ 'idempotency-key': key, ...flags });
    const addon = f.addon;
    const { request, replayed } = await this.call(
      (c) => c.createRequest({ cluster, addonName: addon, target: to, reason }, key),
      {
        retryWith,
        forbidden: `${this.requestsCommand} list --cluster ${cluster}  # asking for upgrades there needs permission hyperpod.upgrade.request on it`,
        notFound: `${this.commandLine.with({ cluster: '<name or ARN as the portal lists it>' })}`,
        conflict: this.conflictFix(cluster, addon),
        invalid: `${this.commandLine.bin} upgrade ${addon} --to ${to} --cluster ${cluster} --dry-run  # the same plan with its refusals, if you can read the cluster`,
      },
    );
    await this.printRequest(request);
    if (this.output === 'table') {
      if (replayed)
        process.stderr.write(
          `the backend had already created this request for Idempotency-Key ${key}: nothing new was created\n`,
        );
      process.stderr.write(
        `next: an approver of ${request.cluster.name} runs: ${this.requestsCommand} approve ${request.id}\n`,
      );
    }
    return request;
  }

  /** The open request the 409 names, when it names one. */
  private conflictFix(cluster: string, addon: string): (message: string) => string {
    return (message) => {
      const open = message.match(/[0-9a-f]{8}-[0-9a-f-]{27}/i)?.[0];
      return open && REQUEST_ID.test(open)
        ? `${this.requestsCommand} get ${open}  # the open request: cancel it or wait for it`
        : `${this.requestsCommand} list --cluster ${cluster} --addon ${addon}`;
    };
  }
}
