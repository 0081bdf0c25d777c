/**
 * Fixtures for the migration components' tests: a migration plan of the inference operator on the
 * demo's ml-prod-use1 (Helm release hyperpod-inference-operator, chart 2.2.2), captured from the
 * core's planMigration on the sandbox (with a customised `image.tag` the add-on has no place
 * for) and trimmed to a few actions per step, and the run views the backend serves while the
 * executor journals it.
 *
 * Test-only: nothing outside `*.test.tsx` imports this module.
 */
import type {
  MigrationJournalEntry,
  MigrationPlan,
  MigrationRunView,
  PortalCluster,
} from '@hyperpod/core';
import { INFERENCE_ADDON, planActions } from '@hyperpod/core';
import { demoReport } from '../common/testFixtures';

/** The Helm install the plan migrates: ml-prod-use1's inference operator as its report shows it. */
const RELEASE = (() => {
  const helm = demoReport('prod').addons.find((a) => a.name === INFERENCE_ADDON)!.helm!;
  const { release, namespace, revision, status, chart, chartVersion } = helm;
  return { release, namespace, revision, status, chart, chartVersion };
})();

const OIDC = 'oidc.eks.us-east-1.amazonaws.com/id/1E957E3B39EF7138CE75EE2FFAD1C40C';

/**
 * An `iam.createRole` action as the planner writes it: a role trusted by a service account of
 * hyperpod-inference-system through the cluster's OIDC provider, with the permissions of a
 * Helm-era role (one managed policy, one inline).
 */
function createRoleAction(roleName: string, serviceAccount: string, copyFrom: string) {
  return {
    id: `role-${roleName}`,
    kind: 'iam.createRole' as const,
    roleName,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::111111111111:oidc-provider/${OIDC}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${OIDC}:sub`]: `system:serviceaccount:hyperpod-inference-system:${serviceAccount}`,
              [`${OIDC}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ],
    },
    copyFrom,
    attachPolicyArns: ['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess'],
    inlinePolicies: {
      [`${copyFrom}-s3`]: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }],
      },
    },
    tags: { CreatedBy: 'HyperPodInference' },
    summary: `create IAM role ${roleName} trusted by hyperpod-inference-system:${serviceAccount}, with 1 managed and 1 inline policies of ${copyFrom}`,
    inverse: 'delete the role (and its policies)',
  };
}

export const RUN_ID = 'ml-prod-use1-20251103-0921-7f3a';

/** POST /clusters/:cluster/migrations/plan without acceptDrops: `image.tag` blocks it. */
export const BLOCKED_PLAN: MigrationPlan = {
  schemaVersion: 1,
  kind: 'MigrationPlan',
  createdAt: '2025-11-03T09:20:00.000Z',
  profile: 'hyperpod-inference',
  cluster: {
    name: 'ml-prod-use1',
    arn: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
    accountId: '111111111111',
    region: 'us-east-1',
    kubernetesVersion: '1.31',
  },
  source: { ...RELEASE, chartPath: [RELEASE.chart] },
  target: {
    addonName: 'amazon-sagemaker-hyperpod-inference',
    addonVersion: 'v1.1.0-eksbuild.1',
    configuration: {
      executionRoleArn:
        'arn:aws:iam::111111111111:role/SageMakerHyperPodInference-yktnsdwy-execution-role',
      tlsCertificateS3Bucket: 'hyperpod-tls-111111111111-ml-prod-use1',
      hyperpodClusterArn: 'arn:aws:sagemaker:us-east-1:111111111111:cluster/yktnsdwytu0e',
      jumpstartGatedModelDownloadRoleArn:
        'arn:aws:iam::111111111111:role/JumpstartGatedRole-ml-prod-use1',
      alb: {
        serviceAccount: {
          roleArn: 'arn:aws:iam::111111111111:role/SageMakerHP-ALB-yktnsdwy-addon',
          create: true,
        },
      },
      keda: {
        auth: {
          aws: {
            irsa: {
              roleArn: 'arn:aws:iam::111111111111:role/SageMakerHP-KEDA-yktnsdwy-addon',
            },
          },
        },
      },
    },
    configurationValid: true,
  },
  dependencies: [
    {
      addonName: 'aws-mountpoint-s3-csi-driver',
      minVersion: 'v1.14.1-eksbuild.1',
      action: 'migrate',
      addonVersion: 'v1.15.0-eksbuild.1',
      serviceAccountRoleArn: 'arn:aws:iam::111111111111:role/S3CsiDriverRole-ml-prod-use1',
    },
    {
      addonName: 'aws-fsx-csi-driver',
      minVersion: 'v1.6.0-eksbuild.1',
      action: 'migrate',
      addonVersion: 'v1.7.0-eksbuild.1',
    },
    {
      addonName: 'cert-manager',
      minVersion: 'v1.18.2-eksbuild.2',
      action: 'migrate',
      addonVersion: 'v1.19.1-eksbuild.1',
    },
    {
      addonName: 'metrics-server',
      minVersion: 'v0.7.2-eksbuild.4',
      action: 'migrate',
      addonVersion: 'v0.7.2-eksbuild.4',
    },
  ],
  drops: [
    {
      key: 'image.tag',
      reason: "no mapping to the add-on's configuration",
      acknowledged: false,
    },
  ],
  reads: [
    {
      type: 'kube',
      apiVersion: 'v1',
      kind: 'Secret',
      name: '*',
      namespace: '*',
    },
    {
      type: 'eks-addon',
      name: 'amazon-sagemaker-hyperpod-inference',
    },
    {
      type: 'kube',
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'hyperpod-inference-operator-alb',
      namespace: 'kube-system',
    },
    {
      type: 'iam-role',
      name: 'HyperpodInferenceRole-ml-prod-use1',
    },
    {
      type: 'load-balancer',
      arn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/k8s-default-albllama-mlprodus/593d3200961c5163',
      name: 'k8s-default-albllama-mlprodus',
    },
    {
      type: 's3-bucket',
      bucket: 'hyperpod-tls-111111111111-ml-prod-use1',
    },
  ],
  warnings: [],
  blockers: [
    "Helm value image.tag has no place in the add-on (no mapping to the add-on's configuration): map it by hand or accept losing it with --accept-drop image.tag",
  ],
  steps: [
    {
      id: 'iam-roles',
      title: 'IAM roles',
      description:
        "Create the roles the add-on needs (its name rule, service accounts that moved namespace), with the Helm-era roles' permissions.",
      actions: [
        createRoleAction(
          'SageMakerHyperPodInference-yktnsdwy-execution-role',
          'hyperpod-inference-controller-manager',
          'HyperpodInferenceRole-ml-prod-use1',
        ),
        createRoleAction(
          'SageMakerHP-ALB-yktnsdwy-addon',
          'aws-load-balancer-controller',
          'HyperpodInferenceALBRole-ml-prod-use1',
        ),
      ],
    },
    {
      id: 'tags',
      title: 'Tag CreatedBy=HyperPodInference',
      description:
        'Tag the load balancers, certificates and certificate objects the operator made, so the add-on manages them. Existing tags stay.',
      actions: [
        {
          id: 'tag-1',
          kind: 'tag',
          target: {
            type: 'load-balancer',
            arn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/k8s-default-albllama-mlprodus/593d3200961c5163',
            name: 'k8s-default-albllama-mlprodus',
          },
          before: {
            'elbv2.k8s.aws/cluster': 'ml-prod-use1',
            'ingress.k8s.aws/stack': 'default/alb-llama-3-8b',
          },
          after: {
            'elbv2.k8s.aws/cluster': 'ml-prod-use1',
            'ingress.k8s.aws/stack': 'default/alb-llama-3-8b',
            CreatedBy: 'HyperPodInference',
          },
          summary:
            'tag load balancer k8s-default-albllama-mlprodus CreatedBy=HyperPodInference (found in Ingress default/alb-llama-3-8b)',
          inverse: 'put its tags back to the 2 it had',
        },
        {
          id: 'tag-2',
          kind: 'tag',
          target: {
            type: 'certificate',
            arn: 'arn:aws:acm:us-east-1:111111111111:certificate/18f9fd4b-98dd-40da-aa37-e8dc342bb80a',
          },
          before: {
            Environment: 'production',
          },
          after: {
            Environment: 'production',
            CreatedBy: 'HyperPodInference',
          },
          summary:
            'tag certificate arn:aws:acm:us-east-1:111111111111:certificate/18f9fd4b-98dd-40da-aa37-e8dc342bb80a CreatedBy=HyperPodInference (found in Ingress default/alb-llama-3-8b)',
          inverse: 'put its tags back to the 1 it had',
        },
      ],
    },
    {
      id: 'dependencies',
      title: 'Dependency add-ons',
      description:
        'Install the add-ons the target needs; Helm-installed ones are taken over by their add-on, then the Helm leftovers are removed.',
      actions: [
        {
          id: 'dep-aws-mountpoint-s3-csi-driver-create',
          kind: 'eks.createAddon',
          addonName: 'aws-mountpoint-s3-csi-driver',
          addonVersion: 'v1.15.0-eksbuild.1',
          serviceAccountRoleArn: 'arn:aws:iam::111111111111:role/S3CsiDriverRole-ml-prod-use1',
          resolveConflicts: 'OVERWRITE',
          summary:
            'create add-on aws-mountpoint-s3-csi-driver v1.15.0-eksbuild.1 with role S3CsiDriverRole-ml-prod-use1',
          inverse:
            'delete the add-on (keeping what existed before it), remove the objects it made, restore the ones it took over',
        },
        {
          id: 'dep-aws-mountpoint-s3-csi-driver-wait',
          kind: 'eks.waitActive',
          addonName: 'aws-mountpoint-s3-csi-driver',
          summary: 'wait until aws-mountpoint-s3-csi-driver is ACTIVE',
          inverse: 'nothing to undo',
        },
        {
          id: 'delete-v1-ServiceAccount-kube-system-s3-csi-driver-sa',
          kind: 'kube.delete',
          ref: {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            name: 's3-csi-driver-sa',
            namespace: 'kube-system',
          },
          unlessAdoptedBy: 'eks',
          summary:
            'delete ServiceAccount kube-system/s3-csi-driver-sa unless the add-on took it over',
          inverse: 'restore it from the backup exactly as it was',
        },
      ],
    },
    {
      id: 'scale-down',
      title: 'Stop the Helm controllers',
      description:
        'Scale the Helm-installed controllers to zero so two operators never run at once.',
      actions: [
        {
          id: 'scale-1',
          kind: 'kube.scale',
          ref: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'hyperpod-inference-operator-alb',
            namespace: 'kube-system',
          },
          before: 2,
          after: 0,
          summary: 'scale Deployment kube-system/hyperpod-inference-operator-alb from 2 to 0',
          inverse: 'scale it back to 2',
        },
        {
          id: 'scale-2',
          kind: 'kube.scale',
          ref: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'keda-admission-webhooks',
            namespace: 'kube-system',
          },
          before: 1,
          after: 0,
          summary: 'scale Deployment kube-system/keda-admission-webhooks from 1 to 0',
          inverse: 'scale it back to 1',
        },
      ],
    },
    {
      id: 'create-addon',
      title: 'Create add-on amazon-sagemaker-hyperpod-inference',
      description: 'Create the add-on (resolve conflicts OVERWRITE) and wait until it is ACTIVE.',
      actions: [
        {
          id: 'addon-create',
          kind: 'eks.createAddon',
          addonName: 'amazon-sagemaker-hyperpod-inference',
          addonVersion: 'v1.1.0-eksbuild.1',
          configurationValues:
            '{"executionRoleArn":"arn:aws:iam::111111111111:role/SageMakerHyperPodInference-yktnsdwy-execution-role","tlsCertificateS3Bucket":"hyperpod-tls-111111111111-ml-prod-use1","hyperpodClusterArn":"arn:aws:sagemaker:us-east-1:111111111111:cluster/yktnsdwytu0e","jumpstartGatedModelDownloadRoleArn":"arn:aws:iam::111111111111:role/JumpstartGatedRole-ml-prod-use1","alb":{"serviceAccount":{"roleArn":"arn:aws:iam::111111111111:role/SageMakerHP-ALB-yktnsdwy-addon","create":true}},"keda":{"auth":{"aws":{"irsa":{"roleArn":"arn:aws:iam::111111111111:role/SageMakerHP-KEDA-yktnsdwy-addon"}}}}}',
          resolveConflicts: 'OVERWRITE',
          summary: 'create add-on amazon-sagemaker-hyperpod-inference v1.1.0-eksbuild.1',
          inverse:
            'delete the add-on (keeping what existed before it), remove the objects it made, restore the ones it took over',
        },
        {
          id: 'addon-wait',
          kind: 'eks.waitActive',
          addonName: 'amazon-sagemaker-hyperpod-inference',
          summary: 'wait until amazon-sagemaker-hyperpod-inference is ACTIVE',
          inverse: 'nothing to undo',
        },
      ],
    },
    {
      id: 'remove-helm-objects',
      title: 'Remove the Helm objects',
      description:
        'Delete what the Helm chart made and the add-on replaced (CRDs and namespaces stay; objects the add-on took over stay).',
      actions: [
        {
          id: 'delete-v1-ServiceAccount-kube-system-aws-load-balancer-controller',
          kind: 'kube.delete',
          ref: {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            name: 'aws-load-balancer-controller',
            namespace: 'kube-system',
          },
          summary: 'delete ServiceAccount kube-system/aws-load-balancer-controller',
          inverse: 'restore it from the backup exactly as it was',
        },
        {
          id: 'delete-v1-ServiceAccount-kube-system-keda-operator',
          kind: 'kube.delete',
          ref: {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            name: 'keda-operator',
            namespace: 'kube-system',
          },
          summary: 'delete ServiceAccount kube-system/keda-operator',
          inverse: 'restore it from the backup exactly as it was',
        },
      ],
    },
    {
      id: 'mark-release',
      title: 'Retire the Helm release',
      description:
        'Mark the Helm release so Helm no longer fights the add-on; its history stays for rollback.',
      actions: [
        {
          id: 'mark-release',
          kind: 'helm.markMigrated',
          release: 'hyperpod-inference-operator',
          namespace: 'kube-system',
          revision: 2,
          mode: 'uninstalled',
          description:
            'Migrated to EKS add-on amazon-sagemaker-hyperpod-inference v1.1.0-eksbuild.1 by kubectl-hyperpod',
          summary:
            'mark Helm release kube-system/hyperpod-inference-operator revision 2 uninstalled (history kept)',
          inverse: 'restore the release secret as it was',
        },
      ],
    },
  ],
};

/** The same plan with `image.tag` accepted as lost: nothing blocks it. */
export function acceptedPlan(): MigrationPlan {
  return {
    ...BLOCKED_PLAN,
    drops: BLOCKED_PLAN.drops.map((d) => ({ ...d, acknowledged: true })),
    blockers: [],
  };
}

export const PROD_CLUSTER: PortalCluster = {
  id: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
  name: 'ml-prod-use1',
  arn: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
  accountId: '111111111111',
  region: 'us-east-1',
  kubernetesVersion: '1.31',
  owner: 'group:default/ml-platform',
};

const STARTED = Date.parse('2025-11-03T09:21:00.000Z');
const at = (seconds: number) => new Date(STARTED + seconds * 1000).toISOString();
const ACTOR = 'user:default/jane.doe (hyperpod portal)';

/** The journal the executor writes for the first `actions` actions of the plan (all: the whole run). */
export function journalUpTo(
  actions: number,
  plan: MigrationPlan = acceptedPlan(),
): MigrationJournalEntry[] {
  const journal: MigrationJournalEntry[] = [
    { at: at(0), type: 'run-started', actor: ACTOR, message: 'started' },
  ];
  planActions(plan)
    .slice(0, actions)
    .forEach(({ step, action }, i) => {
      journal.push({
        at: at(2 * i + 1),
        type: 'action-started',
        stepId: step.id,
        actionId: action.id,
      });
      journal.push({
        at: at(2 * i + 2),
        type: 'action-done',
        stepId: step.id,
        actionId: action.id,
      });
    });
  return journal;
}

export function runView(
  journal: MigrationJournalEntry[],
  opts: { active?: boolean; hasBackup?: boolean; plan?: MigrationPlan } = {},
): MigrationRunView {
  const last = journal[journal.length - 1];
  return {
    cluster: PROD_CLUSTER,
    startedBy: 'user:default/jane.doe',
    summary: {
      runId: RUN_ID,
      clusterName: PROD_CLUSTER.name,
      clusterArn: PROD_CLUSTER.arn!,
      profile: 'hyperpod-inference',
      createdAt: at(0),
      ...(last ? { lastEvent: last.type, updatedAt: last.at } : {}),
    },
    plan: opts.plan ?? acceptedPlan(),
    journal,
    active: opts.active ?? true,
    hasBackup: opts.hasBackup ?? journal.length > 0,
  };
}

/** A run that went through every action: `run-succeeded`, the backend done with it. */
export function succeededJournal(): MigrationJournalEntry[] {
  const all = journalUpTo(planActions(acceptedPlan()).length);
  return [...all, { at: at(60), type: 'run-succeeded' }];
}

/** A run that failed creating the add-on and was rolled back by the executor. */
export function failedAndRolledBackJournal(): MigrationJournalEntry[] {
  const plan = acceptedPlan();
  const actions = planActions(plan);
  const failedAt = actions.findIndex((x) => x.action.id === 'addon-create');
  const journal = journalUpTo(failedAt);
  const { step, action } = actions[failedAt]!;
  return [
    ...journal,
    { at: at(40), type: 'action-started', stepId: step.id, actionId: action.id },
    {
      at: at(41),
      type: 'run-failed',
      stepId: step.id,
      actionId: action.id,
      message:
        'CreateAddon amazon-sagemaker-hyperpod-inference: InvalidParameterException: ConfigurationValues provided in request is not supported',
    },
    { at: at(42), type: 'rollback-started', actor: ACTOR },
    { at: at(50), type: 'rollback-done' },
  ];
}

/** After a user's rollback of a succeeded run. */
export function rolledBackJournal(): MigrationJournalEntry[] {
  return [
    ...succeededJournal(),
    { at: at(120), type: 'rollback-started', actor: 'user:default/sam.ops (hyperpod portal)' },
    { at: at(130), type: 'rollback-done' },
  ];
}
