/**
 * A migration plan: plain, serialisable data that says everything a run will do before it does
 * any of it — every step, every resource it reads, creates, changes, scales, tags or deletes,
 * with the values before and after and how each action is undone. `-o json|yaml` prints it; the
 * executor runs it; the backup and journal refer to its action ids. Versioned by
 * `schemaVersion` and checked against MIGRATION_PLAN_JSON_SCHEMA when read back.
 */
import Ajv from 'ajv';
import type { KubeRef } from '../ports/KubeGateway';
import type { PolicyDocument } from '../ports/IamGateway';

export const MIGRATION_PLAN_SCHEMA_VERSION = 1;

export type ResourceRef =
  | ({ type: 'kube' } & KubeRef)
  | { type: 'iam-role'; name: string }
  | { type: 'eks-addon'; name: string }
  | { type: 'load-balancer'; arn: string; name?: string }
  | { type: 'certificate'; arn: string }
  | { type: 's3-object'; bucket: string; key: string }
  | { type: 's3-bucket'; bucket: string };

interface ActionBase {
  /** Unique within the plan; the journal and backup refer to it. */
  id: string;
  /** One line for people. */
  summary: string;
  /** How a rollback undoes it. */
  inverse: string;
}

export interface CreateRoleAction extends ActionBase {
  kind: 'iam.createRole';
  roleName: string;
  trustPolicy: PolicyDocument;
  /** The Helm-era role whose permissions are copied. */
  copyFrom: string;
  attachPolicyArns: string[];
  inlinePolicies: Record<string, PolicyDocument>;
  tags: Record<string, string>;
}

export interface TagAction extends ActionBase {
  kind: 'tag';
  target: Extract<ResourceRef, { type: 'load-balancer' | 'certificate' | 's3-object' }>;
  before: Record<string, string>;
  after: Record<string, string>;
}

export interface ScaleAction extends ActionBase {
  kind: 'kube.scale';
  ref: KubeRef;
  before: number;
  after: number;
}

export interface CreateAddonAction extends ActionBase {
  kind: 'eks.createAddon';
  addonName: string;
  addonVersion: string;
  /** JSON text, as EKS takes it; undefined = the add-on's defaults. */
  configurationValues?: string;
  serviceAccountRoleArn?: string;
  resolveConflicts: 'OVERWRITE';
}

export interface WaitAddonAction extends ActionBase {
  kind: 'eks.waitActive';
  addonName: string;
}

export interface DeleteObjectAction extends ActionBase {
  kind: 'kube.delete';
  ref: KubeRef;
  /** Kept when an add-on took the object over (EKS's field manager `eks` owns fields in it). */
  unlessAdoptedBy?: 'eks';
}

export interface MarkReleaseAction extends ActionBase {
  kind: 'helm.markMigrated';
  release: string;
  namespace: string;
  revision: number;
  /**
   * `uninstalled`: every object of the release moved, so the newest revision is marked
   * uninstalled (Helm stops upgrading it; the history stays for `helm rollback`). `label`: other
   * components still run from the release, so it is only labelled.
   */
  mode: 'uninstalled' | 'label';
  /** The Helm-readable description written into the revision. */
  description: string;
}

export type MigrationAction =
  | CreateRoleAction
  | TagAction
  | ScaleAction
  | CreateAddonAction
  | WaitAddonAction
  | DeleteObjectAction
  | MarkReleaseAction;

export type MigrationStepId =
  | 'iam-roles'
  | 'tags'
  | 'dependencies'
  | 'scale-down'
  | 'create-addon'
  | 'remove-helm-objects'
  | 'mark-release';

export interface MigrationStep {
  id: MigrationStepId;
  title: string;
  description: string;
  actions: MigrationAction[];
}

export interface DroppedValue {
  /** Helm values path. */
  key: string;
  reason: string;
  acknowledged: boolean;
}

/**
 * One Helm value the user set on the release, and what the migration does with it: `mapped` into
 * an add-on (`target`: a configurationValues path, or `serviceAccountRoleArn`), `dropped` (lost
 * unless mapped by hand; listed in `drops` too), or `default` (the add-on sets it itself).
 */
export interface PlannedValue {
  /** Helm values path (a sub-chart's values under its name). */
  key: string;
  disposition: 'mapped' | 'dropped' | 'default';
  /** The add-on it goes to (mapped), or would have gone to (dropped by the schema). */
  addonName?: string;
  target?: string;
  /** Why, for dropped and default values. */
  reason?: string;
}

/** A blocker a person chose to override (`--allow-release-status`): who, when, what. */
export interface PlanOverride {
  /** What was overridden, e.g. `release-status:pending-upgrade`. */
  blocker: string;
  /** The blocker's text as it would have read. */
  message: string;
  /** Who: the AWS caller ARN or OS user (CLI), the user entity ref (portal). */
  by: string;
  /** ISO-8601. */
  at: string;
}

export interface PlannedDependency {
  addonName: string;
  minVersion: string;
  /**
   * `installed`: the add-on is there at a good version. `create`: missing, created.
   * `migrate`: Helm-installed by this release, moved to the add-on. `keep-helm`: Helm-installed
   * and left there (`--skip-dependencies-migration`). `external`: installed some other way, left alone.
   */
  action: 'installed' | 'create' | 'migrate' | 'keep-helm' | 'external';
  addonVersion?: string;
  serviceAccountRoleArn?: string;
  note?: string;
}

export interface MigrationPlan {
  schemaVersion: typeof MIGRATION_PLAN_SCHEMA_VERSION;
  kind: 'MigrationPlan';
  /** ISO-8601. */
  createdAt: string;
  profile: string;
  cluster: {
    name: string;
    arn: string;
    accountId: string;
    region: string;
    kubernetesVersion: string;
  };
  source: {
    release: string;
    namespace: string;
    revision: number;
    status: string;
    chart: string;
    chartVersion: string;
    /** Where the component's chart sits in the release: `[top]` or `[umbrella, chart]`. */
    chartPath: string[];
  };
  target: {
    addonName: string;
    addonVersion: string;
    /** Derived from the Helm values; secrets are never in it (the add-on takes ARNs and names). */
    configuration: Record<string, unknown>;
    serviceAccountRoleArn?: string;
    /** Checked against DescribeAddonConfiguration's schema for `addonVersion`. */
    configurationValid: boolean;
  };
  dependencies: PlannedDependency[];
  drops: DroppedValue[];
  /** Every Helm value the user set, exactly once each (older stored plans lack it). */
  values?: PlannedValue[];
  /** Blockers a person overrode, with who and when (absent when none). */
  overrides?: PlanOverride[];
  /** Everything the run reads (discovery and checks), for review. */
  reads: ResourceRef[];
  warnings: string[];
  /** Why the plan may not run as it is; empty when it may. */
  blockers: string[];
  steps: MigrationStep[];
}

export function planActions(
  plan: MigrationPlan,
): { step: MigrationStep; action: MigrationAction }[] {
  return plan.steps.flatMap((step) => step.actions.map((action) => ({ step, action })));
}

const str = { type: 'string' } as const;
const strMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const kubeRef = {
  type: 'object',
  required: ['apiVersion', 'kind', 'name'],
  properties: { apiVersion: str, kind: str, namespace: str, name: str },
} as const;
const actionBase = ['id', 'kind', 'summary', 'inverse'];

/** JSON Schema (draft-07) of a MigrationPlan. */
export const MIGRATION_PLAN_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'kubectl-hyperpod MigrationPlan',
  type: 'object',
  required: [
    'schemaVersion',
    'kind',
    'createdAt',
    'profile',
    'cluster',
    'source',
    'target',
    'dependencies',
    'drops',
    'reads',
    'warnings',
    'blockers',
    'steps',
  ],
  properties: {
    schemaVersion: { const: MIGRATION_PLAN_SCHEMA_VERSION },
    kind: { const: 'MigrationPlan' },
    createdAt: str,
    profile: str,
    cluster: {
      type: 'object',
      required: ['name', 'arn', 'accountId', 'region', 'kubernetesVersion'],
      properties: {
        name: str,
        arn: str,
        accountId: { type: 'string', pattern: '^[0-9]{12}$' },
        region: str,
        kubernetesVersion: str,
      },
    },
    source: {
      type: 'object',
      required: [
        'release',
        'namespace',
        'revision',
        'status',
        'chart',
        'chartVersion',
        'chartPath',
      ],
      properties: {
        release: str,
        namespace: str,
        revision: { type: 'integer', minimum: 1 },
        status: str,
        chart: str,
        chartVersion: str,
        chartPath: { type: 'array', items: str, minItems: 1 },
      },
    },
    target: {
      type: 'object',
      required: ['addonName', 'addonVersion', 'configuration', 'configurationValid'],
      properties: {
        addonName: str,
        addonVersion: str,
        configuration: { type: 'object' },
        serviceAccountRoleArn: str,
        configurationValid: { type: 'boolean' },
      },
    },
    dependencies: {
      type: 'array',
      items: {
        type: 'object',
        required: ['addonName', 'minVersion', 'action'],
        properties: {
          addonName: str,
          minVersion: str,
          action: { enum: ['installed', 'create', 'migrate', 'keep-helm', 'external'] },
          addonVersion: str,
          serviceAccountRoleArn: str,
          note: str,
        },
      },
    },
    drops: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'reason', 'acknowledged'],
        properties: { key: str, reason: str, acknowledged: { type: 'boolean' } },
      },
    },
    values: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'disposition'],
        properties: {
          key: str,
          disposition: { enum: ['mapped', 'dropped', 'default'] },
          addonName: str,
          target: str,
          reason: str,
        },
      },
    },
    overrides: {
      type: 'array',
      items: {
        type: 'object',
        required: ['blocker', 'message', 'by', 'at'],
        properties: { blocker: str, message: str, by: str, at: str },
      },
    },
    reads: { type: 'array', items: { type: 'object', required: ['type'] } },
    warnings: { type: 'array', items: str },
    blockers: { type: 'array', items: str },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title', 'description', 'actions'],
        properties: {
          id: {
            enum: [
              'iam-roles',
              'tags',
              'dependencies',
              'scale-down',
              'create-addon',
              'remove-helm-objects',
              'mark-release',
            ],
          },
          title: str,
          description: str,
          actions: {
            type: 'array',
            items: {
              type: 'object',
              required: actionBase,
              properties: { id: str, summary: str, inverse: str },
              oneOf: [
                {
                  properties: { kind: { const: 'iam.createRole' } },
                  required: [
                    'roleName',
                    'trustPolicy',
                    'copyFrom',
                    'attachPolicyArns',
                    'inlinePolicies',
                    'tags',
                  ],
                },
                {
                  properties: {
                    kind: { const: 'tag' },
                    target: { type: 'object', required: ['type'] },
                    before: strMap,
                    after: strMap,
                  },
                  required: ['target', 'before', 'after'],
                },
                {
                  properties: {
                    kind: { const: 'kube.scale' },
                    ref: kubeRef,
                    before: { type: 'integer', minimum: 0 },
                    after: { type: 'integer', minimum: 0 },
                  },
                  required: ['ref', 'before', 'after'],
                },
                {
                  properties: {
                    kind: { const: 'eks.createAddon' },
                    addonName: str,
                    addonVersion: str,
                    configurationValues: str,
                    serviceAccountRoleArn: str,
                    resolveConflicts: { const: 'OVERWRITE' },
                  },
                  required: ['addonName', 'addonVersion', 'resolveConflicts'],
                },
                {
                  properties: { kind: { const: 'eks.waitActive' }, addonName: str },
                  required: ['addonName'],
                },
                {
                  properties: {
                    kind: { const: 'kube.delete' },
                    ref: kubeRef,
                    unlessAdoptedBy: { const: 'eks' },
                  },
                  required: ['ref'],
                },
                {
                  properties: {
                    kind: { const: 'helm.markMigrated' },
                    release: str,
                    namespace: str,
                    revision: { type: 'integer', minimum: 1 },
                    mode: { enum: ['uninstalled', 'label'] },
                    description: str,
                  },
                  required: ['release', 'namespace', 'revision', 'mode', 'description'],
                },
              ],
            },
          },
        },
      },
    },
  },
} as const;

let compiled: ReturnType<Ajv['compile']> | undefined;

/** Checks data read back (a stored run, a plan file) is a MigrationPlan this version understands. */
export function checkMigrationPlan(data: unknown): { valid: boolean; errors: string[] } {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(MIGRATION_PLAN_JSON_SCHEMA);
  const valid = compiled(data) as boolean;
  const errors = (compiled.errors ?? []).map(
    (e) => `${e.instancePath || '$'}: ${e.message ?? 'invalid'}`,
  );
  return { valid, errors: valid ? [] : errors };
}
