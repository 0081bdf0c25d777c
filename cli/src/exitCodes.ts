/**
 * The exit-code contract of `kubectl hyperpod`. Scripts and CI jobs branch on these numbers, so
 * they never change meaning; new conditions get new numbers.
 */
export const ExitCode = {
  Ok: 0,
  Unexpected: 1,
  Usage: 2,
  Config: 3,
  Access: 4,
  Degraded: 5,
  Drift: 6,
  MigrationBlocked: 7,
  MigrationFailed: 8,
  UpgradeRefused: 9,
  UpgradeRolledBack: 10,
  UpgradeFailed: 11,
  RequestConflict: 12,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ExitCodeEntry {
  code: ExitCode;
  name: string;
  /** The full meaning, as `--help` and docs/cli.md show it. */
  meaning: string;
  /** The one-line form, as the README's table shows it (Markdown). */
  summary: string;
}

export const EXIT_CODES: readonly ExitCodeEntry[] = [
  {
    code: ExitCode.Ok,
    name: 'ok',
    summary: 'ok',
    meaning:
      'every requested cluster was read (and no --fail-on condition tripped); migrate: the migration or rollback succeeded; upgrade: the add-on is ACTIVE at the target (or the dry run found nothing refused)',
  },
  {
    code: ExitCode.Unexpected,
    name: 'unexpected',
    summary: 'unexpected error',
    meaning: 'an unexpected error (a bug: please report it)',
  },
  {
    code: ExitCode.Usage,
    name: 'usage',
    summary: 'bad flag or argument',
    meaning: 'bad flag or argument',
  },
  {
    code: ExitCode.Config,
    name: 'config',
    summary: 'configuration error (kubeconfig, context, cluster, fleet file, region or name)',
    meaning:
      'configuration error: kubeconfig missing or malformed, unknown context or cluster, bad fleet file, invalid region or name',
  },
  {
    code: ExitCode.Access,
    name: 'access',
    summary: 'AWS or Kubernetes access error (credentials, access denied, cluster not answering)',
    meaning:
      'AWS or Kubernetes access error: expired or invalid credentials, access denied, a cluster that does not answer',
  },
  {
    code: ExitCode.Degraded,
    name: 'fail-on-degraded',
    summary: '`--fail-on degraded` tripped',
    meaning: '--fail-on degraded: some cluster or add-on is Degraded, Missing or Unknown',
  },
  {
    code: ExitCode.Drift,
    name: 'fail-on-drift',
    summary:
      '`--fail-on drift` tripped: an add-on `behind-default` or `incompatible`, or NEXT-K8S `upgrade` or `blocked` (not `after`)',
    meaning:
      "--fail-on drift: some add-on (or the add-on version a Helm install carries) is behind its default or not offered for the cluster's Kubernetes version (STATUS behind-default, incompatible), or must move or has nowhere to move before the next Kubernetes version (NEXT-K8S upgrade, blocked); default, behind-latest and NEXT-K8S after do not trip it",
  },
  {
    code: ExitCode.MigrationBlocked,
    name: 'migration-blocked',
    summary: '`migrate`: the plan has blockers or another run holds the cluster; nothing changed',
    meaning:
      "migrate: the migration may not run, nothing was changed: the plan has blockers, or another run holds the cluster's migration lock",
  },
  {
    code: ExitCode.MigrationFailed,
    name: 'migration-failed',
    summary: '`migrate`: the run failed, was aborted or rolled back',
    meaning:
      'migrate: the run did not complete: it failed (and was rolled back, or stopped with --on-failure stop), was aborted or rolled back at a prompt, or a rollback left things to fix',
  },
  {
    code: ExitCode.UpgradeRefused,
    name: 'upgrade-refused',
    summary:
      '`upgrade`, `resolve-conflicts`: refused (plan refusals, nothing to resolve, another run holds the add-on, declined); nothing changed',
    meaning:
      "upgrade: the upgrade may not run, nothing was changed: the plan has refusals (version, Kubernetes compatibility, configuration schema, dependencies), another process holds the add-on's upgrade lock, the add-on changed since it was planned, or it was declined at the prompt; resolve-conflicts: the add-on has no conflict to resolve, is not installed or in flight, or the lock is held",
  },
  {
    code: ExitCode.UpgradeRolledBack,
    name: 'upgrade-rolled-back',
    summary: '`upgrade`, `resolve-conflicts`: an update failed and was rolled back',
    meaning:
      'upgrade: an update failed and the add-on was rolled back to its version, configuration and role from before the upgrade; resolve-conflicts: the add-on did not become ACTIVE and the objects were written back as they were',
  },
  {
    code: ExitCode.UpgradeFailed,
    name: 'upgrade-failed',
    summary: '`upgrade`, `resolve-conflicts`: an update failed and so did the rollback',
    meaning:
      'upgrade: an update failed and so did the rollback, or the lock was lost mid-run: the add-on needs attention (the report says where it stopped); resolve-conflicts: the same',
  },
  {
    code: ExitCode.RequestConflict,
    name: 'request-conflict',
    summary:
      "`requests`: the request's state forbids it (already decided, an open request exists, already at the target); nothing changed",
    meaning:
      'requests: the portal refused the change for the state things are in, nothing was changed: the request was already decided or has finished, the add-on already has an open request or is already at the target, or the Idempotency-Key was used for a different request',
  },
];

/** The table as `--help` and docs show it. */
export function exitCodeHelp(codes?: readonly ExitCode[]): string {
  return EXIT_CODES.filter((e) => codes === undefined || codes.includes(e.code))
    .map((e) => `  ${e.code}  ${e.meaning}`)
    .join('\n');
}

/**
 * When several conditions hold, the one that makes the answer least trustworthy wins: a scan that
 * could not read everything (3, 4) outranks a CI gate (5, 6) evaluated on partial data.
 */
export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  const order: ExitCode[] = [
    ExitCode.Unexpected,
    ExitCode.Usage,
    ExitCode.Config,
    ExitCode.Access,
    ExitCode.Degraded,
    ExitCode.Drift,
    ExitCode.MigrationBlocked,
    ExitCode.MigrationFailed,
    ExitCode.UpgradeRefused,
    ExitCode.UpgradeRolledBack,
    ExitCode.UpgradeFailed,
    ExitCode.RequestConflict,
  ];
  const set = new Set(codes);
  return order.find((c) => set.has(c)) ?? ExitCode.Ok;
}
