/**
 * The lossy-migration guard and the release-status gate of planMigration, on the configuration
 * schemas the sandbox's EKS serves (DescribeAddonConfiguration's text, as the real adapter hands
 * it to discovery) and a standalone metrics-server release as `helm install metrics-server`
 * stores it.
 */
import {
  checkMigrationPlan,
  configurationSchemaPath,
  lastDeployedRevision,
  planMigration,
  releaseStatusBlocker,
  unmatchedPlanOverrides,
  type DiscoveredRelease,
  type MigrationDiscovery,
} from '@hyperpod/core';
import { addonSpec as spec, catalogEntry } from './addonCatalog';

/** The schema text EKS returns for one version (the sandbox serializes the same object). */
const schemaText = (name: string, version: string): string =>
  JSON.stringify(spec(name).versions.find((v) => v.addonVersion === version)!.configurationSchema);

const K8S = '1.31';
const METRICS = 'metrics-server';
const metricsDefault = spec(METRICS).versions.find((v) => v.defaultFor.includes(K8S))!.addonVersion;

function release(over: Partial<DiscoveredRelease> = {}): DiscoveredRelease {
  const obj = (kind: string, apiVersion: string) => ({
    ref: { apiVersion, kind, namespace: 'kube-system', name: 'metrics-server' },
    chartPath: ['metrics-server'],
  });
  return {
    name: 'metrics-server',
    namespace: 'kube-system',
    revision: 2,
    status: 'deployed',
    chart: 'metrics-server',
    chartVersion: '3.12.2',
    chartPath: ['metrics-server'],
    values: {
      replicas: 2,
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
      image: { tag: 'v0.7.2-patched' },
    },
    secrets: [],
    history: [
      { revision: 1, status: 'superseded' },
      { revision: 2, status: 'deployed' },
    ],
    objects: [obj('ServiceAccount', 'v1'), obj('Service', 'v1'), obj('Deployment', 'apps/v1')],
    hooks: [],
    crds: [],
    ...over,
  };
}

/**
 * The served schema without `replicas`: a target version with no place for a value the profile
 * maps (the guard's case; every key the metrics-server profile maps is in the served schema).
 */
const withoutReplicas = (): string => {
  const s = JSON.parse(schemaText(METRICS, metricsDefault)) as {
    properties: Record<string, unknown>;
  };
  delete s.properties['replicas'];
  return JSON.stringify(s);
};

function discovery(
  rel: DiscoveredRelease | undefined,
  schema = schemaText(METRICS, metricsDefault),
): MigrationDiscovery {
  return {
    profile: METRICS,
    cluster: {
      name: 'ml-prod-use1',
      arn: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
      accountId: '111111111111',
      region: 'us-east-1',
      version: K8S,
    },
    ...(rel ? { release: rel } : {}),
    candidates: rel
      ? [{ release: rel.name, namespace: rel.namespace, chartPath: rel.chartPath }]
      : [],
    replicas: {},
    addons: { [METRICS]: null },
    catalogs: { [METRICS]: catalogEntry(spec(METRICS)) },
    schemas: { [`${METRICS}@${metricsDefault}`]: schema },
    roles: {},
    inlinePolicies: {},
    tagTargets: [],
    dependencies: [],
    access: [],
    reads: [],
    readErrors: [],
  };
}

const NOW = '2026-12-06T07:00:00.000Z';

describe('configurationSchemaPath on the schemas the sandbox serves', () => {
  const inference = spec('amazon-sagemaker-hyperpod-inference');
  const v1 = JSON.stringify(
    inference.versions.find((v) => v.addonVersion === 'v1.0.0-eksbuild.1')!.configurationSchema,
  );
  const v3 = JSON.stringify(
    inference.versions.find((v) => v.addonVersion === 'v1.2.0-eksbuild.1')!.configurationSchema,
  );

  it('walks properties into nested closed objects', () => {
    expect(configurationSchemaPath(v1, 'keda.auth.aws.irsa.roleArn')).toEqual({ found: true });
    expect(configurationSchemaPath(v1, 'keda.podIdentity.aws.irsa.roleArn')).toEqual({
      found: false,
      reason: 'its configuration schema has no keda.podIdentity',
    });
    // A key only newer versions take.
    expect(configurationSchemaPath(v1, 'inferenceGateway.enabled').found).toBe(false);
    expect(configurationSchemaPath(v3, 'inferenceGateway.enabled').found).toBe(true);
    // Below a string there is nothing.
    expect(configurationSchemaPath(v3, 'executionRoleArn.x').found).toBe(false);
  });

  it('follows additionalProperties (a map) and open objects, and stops at additionalProperties false', () => {
    const m = schemaText(METRICS, metricsDefault);
    expect(configurationSchemaPath(m, 'nodeSelector.gpu')).toEqual({ found: true });
    expect(configurationSchemaPath(m, 'affinity.nodeAffinity.x')).toEqual({ found: true });
    // The add-on's schema follows the upstream chart's values (metrics-server 3.12.2: `replicas`).
    expect(configurationSchemaPath(m, 'replicas')).toEqual({ found: true });
    expect(configurationSchemaPath(m, 'replicaCount').found).toBe(false);
    expect(configurationSchemaPath(m, 'resources.limits.nvidia.com/gpu').found).toBe(false);
  });

  it('resolves local $ref and combinators; no schema has a place for nothing', () => {
    const s = JSON.stringify({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      definitions: {
        sa: {
          type: 'object',
          properties: { roleArn: { type: 'string' } },
          additionalProperties: false,
        },
      },
      properties: {
        controller: { $ref: '#/definitions/sa' },
        node: {
          allOf: [
            { $ref: '#/definitions/sa' },
            { properties: { tolerateAllTaints: { type: 'boolean' } } },
          ],
        },
        labels: {
          type: 'object',
          patternProperties: { '^[a-z]+$': { type: 'string' } },
          additionalProperties: false,
        },
      },
    });
    expect(configurationSchemaPath(s, 'controller.roleArn').found).toBe(true);
    expect(configurationSchemaPath(s, 'controller.name').found).toBe(false);
    expect(configurationSchemaPath(s, 'node.tolerateAllTaints').found).toBe(true);
    expect(configurationSchemaPath(s, 'node.roleArn').found).toBe(true);
    expect(configurationSchemaPath(s, 'labels.team').found).toBe(true);
    expect(configurationSchemaPath(s, 'labels.Team1').found).toBe(false);
    expect(configurationSchemaPath(null, 'replicas')).toEqual({
      found: false,
      reason: 'the add-on version publishes no configuration schema',
    });
  });
});

describe('planMigration: every Helm value is mapped, dropped or left to the add-on', () => {
  it('a mapped value whose target the target version has no place for is a drop, not configuration', () => {
    const plan = planMigration(discovery(release(), withoutReplicas()), { now: NOW });
    expect(checkMigrationPlan(plan)).toEqual({ valid: true, errors: [] });
    expect(plan.values).toEqual([
      {
        key: 'image.tag',
        disposition: 'dropped',
        reason: "no mapping to the add-on's configuration",
      },
      {
        key: 'replicas',
        disposition: 'dropped',
        addonName: METRICS,
        target: 'replicas',
        reason: `maps to replicas, but ${METRICS} ${metricsDefault} has no place for it: its configuration schema has no replicas`,
      },
      { key: 'tolerations', disposition: 'mapped', addonName: METRICS, target: 'tolerations' },
    ]);
    expect(plan.drops.map((d) => d.key)).toEqual(['image.tag', 'replicas']);
    // Dropped, so not sent to EKS: the derived configuration is valid, only the drop blocks.
    expect(plan.target.configuration).toEqual({
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(plan.target.configurationValid).toBe(true);
    expect(plan.blockers).toEqual([
      expect.stringContaining('Helm value image.tag has no place in the add-on'),
      expect.stringMatching(
        /^Helm value replicas has no place in the add-on \(maps to replicas, .*--accept-drop replicas$/,
      ),
    ]);

    const accepted = planMigration(discovery(release(), withoutReplicas()), {
      now: NOW,
      acceptDrops: ['image.tag', 'replicas'],
    });
    expect(accepted.blockers).toEqual([]);
    expect(accepted.drops.every((d) => d.acknowledged)).toBe(true);
  });

  it("metrics-server's replicas, as the real chart 3.12.2 names it, is carried over to the add-on", () => {
    const plan = planMigration(discovery(release()), { now: NOW, acceptDrops: ['image.tag'] });
    expect(plan.values?.find((v) => v.key === 'replicas')).toEqual({
      key: 'replicas',
      disposition: 'mapped',
      addonName: METRICS,
      target: 'replicas',
    });
    expect(plan.target.configuration['replicas']).toBe(2);
    expect(plan.target.configurationValid).toBe(true);
    expect(plan.blockers).toEqual([]);
  });

  it('an --accept-drop key that is not a drop is named by the one rule; a real drop passes', () => {
    const plan = planMigration(discovery(release(), withoutReplicas()), {
      now: NOW,
      acceptDrops: ['image.tag'],
    });
    expect(unmatchedPlanOverrides(plan, { acceptDrops: ['image.tag'] })).toEqual([]);
    expect(
      unmatchedPlanOverrides(plan, { acceptDrops: ['image.tagg', 'tolerations'] }).map(
        (u) => u.message,
      ),
    ).toEqual([
      "--accept-drop image.tagg names no value this migration drops (the release's values have no image.tagg); it drops: image.tag, replicas",
      '--accept-drop tolerations names no value this migration drops (it is carried over to metrics-server tolerations); it drops: image.tag, replicas',
    ]);
    expect(unmatchedPlanOverrides(plan, { allowReleaseStatus: ['pending-upgrade'] })).toEqual([
      {
        flag: 'allow-release-status',
        value: 'pending-upgrade',
        reason:
          'overrides nothing: Helm release kube-system/metrics-server is deployed (revision 2)',
        message:
          '--allow-release-status pending-upgrade overrides nothing: Helm release kube-system/metrics-server is deployed (revision 2)',
      },
    ]);
    // Nothing found to migrate: the blockers say so, the overrides are not judged.
    expect(
      unmatchedPlanOverrides(planMigration(discovery(undefined), { now: NOW }), {
        acceptDrops: ['x'],
      }),
    ).toEqual([]);
  });
});

describe('planMigration: releases in failed or pending-* states', () => {
  const pending = release({
    revision: 3,
    status: 'pending-upgrade',
    values: { tolerations: [] },
    history: [
      { revision: 1, status: 'superseded' },
      { revision: 2, status: 'deployed' },
      { revision: 3, status: 'pending-upgrade' },
    ],
  });

  it('blocks with the exact rollback to the last deployed revision', () => {
    const plan = planMigration(discovery(pending), { now: NOW });
    expect(plan.blockers).toEqual([
      'Helm release kube-system/metrics-server is not deployed: it is stuck in pending-upgrade at revision 3 (a Helm operation never finished), so its newest values and objects may not be what runs; roll it back to revision 2, the last deployed one: helm rollback metrics-server 2 -n kube-system, or migrate its newest revision anyway with --allow-release-status pending-upgrade',
    ]);
    expect(plan.overrides).toBeUndefined();
  });

  it('an explicit override lets it plan and records who and when', () => {
    const plan = planMigration(discovery(pending), {
      now: NOW,
      allowReleaseStatus: ['pending-upgrade'],
      requestedBy: 'arn:aws:sts::111111111111:assumed-role/Admin/ana',
    });
    expect(plan.blockers).toEqual([]);
    expect(plan.overrides).toEqual([
      {
        blocker: 'release-status:pending-upgrade',
        message: expect.stringContaining('helm rollback metrics-server 2 -n kube-system'),
        by: 'arn:aws:sts::111111111111:assumed-role/Admin/ana',
        at: NOW,
      },
    ]);
    expect(checkMigrationPlan(plan)).toEqual({ valid: true, errors: [] });
    // Overriding another status does not clear this one.
    expect(
      planMigration(discovery(pending), { now: NOW, allowReleaseStatus: ['failed'] }).blockers,
    ).toHaveLength(1);
  });

  it('failed after a rollback, a first install that never deployed, and an unread history', () => {
    expect(
      lastDeployedRevision(
        [
          { revision: 1, status: 'superseded' },
          { revision: 2, status: 'superseded' },
          { revision: 3, status: 'failed' },
        ],
        3,
      ),
    ).toBe(2);
    const base = { name: 'm', namespace: 'ns', revision: 1, status: 'pending-install' };
    expect(
      releaseStatusBlocker({ ...base, history: [{ revision: 1, status: 'pending-install' }] })
        ?.message,
    ).toContain(
      'no earlier revision was ever deployed, so there is nothing to roll back to: remove it (helm uninstall m -n ns)',
    );
    expect(releaseStatusBlocker({ ...base, status: 'failed', revision: 4 })?.message).toContain(
      'its history could not be read: find the last deployed revision with helm history m -n ns',
    );
    expect(releaseStatusBlocker({ ...base, status: 'deployed' })).toBeUndefined();
  });
});

describe('planMigration: a failed read is unknown, never "not there"', () => {
  it('Helm releases that could not be listed do not become "no Helm release"', () => {
    const d = {
      ...discovery(undefined),
      readErrors: ['list Helm releases: connect ECONNREFUSED 127.0.0.1:1'],
      helmReleasesUnread: 'connect ECONNREFUSED 127.0.0.1:1',
    };
    const plan = planMigration(d, { now: NOW });
    expect(plan.blockers).toEqual([
      'could not read list Helm releases: connect ECONNREFUSED 127.0.0.1:1',
      'whether a Helm release installs metrics-server in ml-prod-use1 is unknown: its Helm releases could not be read (connect ECONNREFUSED 127.0.0.1:1)',
    ]);
  });
});

describe('planMigration: every manifest object it neither migrates nor removes is named as kept', () => {
  // As `helm get manifest` lists them for the umbrella: KEDA's CRDs rendered from templates (not
  // crds/), and the S3 volume and its claim the chart makes for the customer's data.
  const extra = [
    {
      ref: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'scaledobjects.keda.sh',
      },
      chartPath: ['metrics-server'],
    },
    {
      ref: { apiVersion: 'v1', kind: 'Namespace', name: 'metrics' },
      chartPath: ['metrics-server'],
    },
    {
      ref: { apiVersion: 'v1', kind: 'PersistentVolume', name: 's3-pv' },
      chartPath: ['metrics-server'],
    },
    {
      ref: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: 'default',
        name: 's3-claim',
      },
      chartPath: ['metrics-server'],
    },
  ];
  const rel = release();
  const plan = planMigration(discovery({ ...rel, objects: [...rel.objects, ...extra] }), {
    now: NOW,
  });
  const deleted = plan.steps
    .flatMap((s) => s.actions)
    .flatMap((a) => (a.kind === 'kube.delete' ? [`${a.ref.kind} ${a.ref.name}`] : []));

  it('names the template CRDs and the namespace, with why', () => {
    expect(plan.warnings).toContain(
      "CustomResourceDefinition scaledobjects.keda.sh (chart metrics-server) stays: a CRD holds users' resources and deleting it deletes them all; it is in the backup",
    );
    expect(plan.warnings).toContain(
      'Namespace metrics (chart metrics-server) stays: a namespace may hold objects outside the release; it is in the backup',
    );
  });

  it('never deletes a volume or its claim: they hold customer data, and are named as kept', () => {
    expect(deleted).not.toContain('PersistentVolume s3-pv');
    expect(deleted).not.toContain('PersistentVolumeClaim s3-claim');
    expect(deleted).toEqual(
      expect.arrayContaining(['ServiceAccount metrics-server', 'Deployment metrics-server']),
    );
    expect(plan.warnings).toContain(
      'PersistentVolumeClaim default/s3-claim (chart metrics-server) stays: it holds customer data and a claim made again would not bind its volume; it is in the backup',
    );
    expect(plan.warnings).toContain(
      'PersistentVolume s3-pv (chart metrics-server) stays: it holds customer data and a claim made again would not bind its volume; it is in the backup',
    );
  });

  it('names what a sub-chart that stays on Helm keeps', () => {
    const cm = {
      ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'other-config' },
      chartPath: ['metrics-server', 'other'],
    };
    const p = planMigration(discovery({ ...rel, objects: [...rel.objects, cm] }), { now: NOW });
    expect(p.warnings).toContain(
      'ConfigMap kube-system/other-config (chart metrics-server/other) stays with the Helm release: its chart is not migrated',
    );
  });
});
