/** The flags and the argument the `migrate` topic's commands share. */
import { Args, Flags } from '@oclif/core';
import {
  BLOCKING_RELEASE_STATUSES,
  DEFAULT_MIGRATION_PROFILE,
  MIGRATION_RUN_ID,
  profileIds,
} from '@hyperpod/core';

export const DEFAULT_PROFILE = DEFAULT_MIGRATION_PROFILE;
export const S3_CSI = 'aws-mountpoint-s3-csi-driver';
export const FSX_CSI = 'aws-fsx-csi-driver';

/** What FileMigrationStore accepts as a run id. */
export const RUN_ID = MIGRATION_RUN_ID;

/** The flags that shape a plan, shared by `migrate` and `migrate plan`. */
export const PLAN_FLAGS = {
  release: Flags.string({
    summary: 'Helm release to migrate, NAME or NAMESPACE/NAME, when several install the component.',
    helpValue: 'NAME|NS/NAME',
  }),
  'addon-version': Flags.string({
    summary:
      'Add-on version to install: a version, `default` (the default for the cluster’s Kubernetes version) or `latest`.',
    helpValue: 'VERSION|default|latest',
  }),
  'accept-drop': Flags.string({
    summary:
      'Accept losing this Helm value the add-on has no place for (repeatable; the plan lists them). A KEY the plan does not drop is a usage error (exit 2).',
    multiple: true,
    helpValue: 'KEY',
  }),
  'allow-release-status': Flags.string({
    summary:
      'Migrate a Helm release whose newest revision is in this status (normally a blocker: roll it back first). Recorded in the plan with who and when. A status the release is not in is a usage error (exit 2).',
    multiple: true,
    options: [...BLOCKING_RELEASE_STATUSES],
    helpValue: 'STATUS',
  }),
  'skip-dependencies-migration': Flags.boolean({
    summary:
      'Leave Helm-installed dependencies (CSI drivers, cert-manager, metrics-server) on Helm.',
  }),
  's3-mountpoint-role-arn': Flags.string({
    summary: `IAM role for the ${S3_CSI} add-on's service account (instead of the one the Helm values name).`,
    helpValue: 'ARN',
  }),
  'fsx-role-arn': Flags.string({
    summary: `IAM role for the ${FSX_CSI} add-on's service account (instead of the one the Helm values name).`,
    helpValue: 'ARN',
  }),
};

export const STORE_FLAGS = {
  'backup-dir': Flags.string({
    summary:
      'Directory of migration runs (plan, backup, journal), default $KUBECTL_HYPERPOD_HOME/migrations or ~/.local/state/kubectl-hyperpod/migrations.',
    helpValue: 'DIR',
  }),
};

export const RUN_FLAGS = {
  'auto-approve': Flags.boolean({
    summary: 'Never ask: run every step (and roll back on failure) without a prompt.',
  }),
  'wait-timeout': Flags.integer({
    summary: 'Seconds to wait for an add-on to become ACTIVE (or to be deleted on rollback).',
    default: 1200,
    min: 1,
  }),
};

export const profileArg = Args.string({
  description: 'Migration profile: which Helm-installed component moves to which add-on.',
  options: profileIds(),
  default: DEFAULT_PROFILE,
});
