/**
 * The sandbox's EKS add-on life cycle, driven by the real @aws-sdk/client-eks: create, update and
 * delete with their transitions and waiters, the workloads they apply in the cluster's Kubernetes
 * API, conflicts with other field managers, and scripted failures. The tests build on each other.
 */
import {
  CreateAddonCommand,
  DeleteAddonCommand,
  DescribeAddonCommand,
  DescribeUpdateCommand,
  ListAddonsCommand,
  ListUpdatesCommand,
  UpdateAddonCommand,
  waitUntilAddonActive,
} from '@aws-sdk/client-eks';
import {
  acct,
  client,
  eks,
  INFERENCE,
  inferenceConfig,
  kubeOf,
  managers,
  REGION,
  rejection,
  settle,
  strict,
  useEksSandbox,
} from './eksSandbox';

useEksSandbox();

describe('add-on life cycle', () => {
  it('creates an add-on CREATING, becomes ACTIVE (waiter) and applies its workloads with field manager eks', async () => {
    const created = await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-prod',
        addonName: INFERENCE,
        addonVersion: 'v1.0.0-eksbuild.1',
        configurationValues: inferenceConfig(),
        resolveConflicts: 'OVERWRITE',
        tags: { owner: 'platform' },
      }),
    );
    expect(created.addon).toMatchObject({
      addonName: INFERENCE,
      clusterName: 'ml-prod',
      status: 'CREATING',
      addonVersion: 'v1.0.0-eksbuild.1',
      tags: { owner: 'platform' },
    });
    expect(created.addon?.addonArn).toMatch(
      new RegExp(`^arn:aws:eks:${REGION}:${acct}:addon/ml-prod/${INFERENCE}/[0-9a-f-]{36}$`),
    );
    const waited = await waitUntilAddonActive(
      { client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { clusterName: 'ml-prod', addonName: INFERENCE },
    );
    expect(waited.state).toBe('SUCCESS');
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-prod', addonName: INFERENCE }),
    );
    expect(addon).toMatchObject({
      status: 'ACTIVE',
      health: { issues: [] },
      configurationValues: inferenceConfig(),
      owner: 'aws',
      publisher: 'eks',
    });
    expect(addon?.createdAt).toBeInstanceOf(Date);
    const dep = kubeOf('ml-prod').get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'hyperpod-inference-system',
      name: 'hyperpod-inference-controller-manager',
    });
    expect(managers(dep)).toContain('eks');
    const sa = kubeOf('ml-prod').get({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      namespace: 'hyperpod-inference-system',
      name: 'hyperpod-inference-controller-manager',
    });
    expect(sa?.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(
      `arn:aws:iam::${acct}:role/SageMakerHyperPodInference-abcd1234-execution-role`,
    );
    expect(
      kubeOf('ml-prod').get({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'jumpstartmodels.inference.sagemaker.aws.amazon.com',
      }),
    ).toBeDefined();
    const listed = await client.send(new ListAddonsCommand({ clusterName: 'ml-prod' }));
    expect(listed.addons).toEqual([INFERENCE]);
  });

  it('installs the default version for the cluster when none is given, and pages ListAddons', async () => {
    for (const name of ['metrics-server', 'cert-manager', 'coredns']) {
      await client.send(new CreateAddonCommand({ clusterName: 'ml-batch', addonName: name }));
    }
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-batch', addonName: 'metrics-server' }),
    );
    expect(addon?.addonVersion).toBe('v0.7.2-eksbuild.4');
    const coredns = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-batch', addonName: 'coredns' }),
    );
    expect(coredns.addon?.addonVersion).toBe('v1.11.3-eksbuild.2');
    const p1 = await client.send(new ListAddonsCommand({ clusterName: 'ml-batch', maxResults: 2 }));
    const p2 = await client.send(
      new ListAddonsCommand({ clusterName: 'ml-batch', maxResults: 2, nextToken: p1.nextToken }),
    );
    expect([...p1.addons!, ...p2.addons!]).toEqual(['cert-manager', 'coredns', 'metrics-server']);
    expect(p2.nextToken).toBeUndefined();
    await eks.settled();
    expect(
      kubeOf('ml-batch').get({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'certificates.cert-manager.io',
      }),
    ).toBeDefined();
  });

  it('updates an add-on: UPDATING with an AddonUpdate, then ACTIVE and the update Successful', async () => {
    const { update } = await client.send(
      new UpdateAddonCommand({
        clusterName: 'ml-prod',
        addonName: INFERENCE,
        addonVersion: 'v1.2.0-eksbuild.1',
        configurationValues: inferenceConfig({ inferenceGateway: { enabled: true } }),
        resolveConflicts: 'OVERWRITE',
      }),
    );
    expect(update).toMatchObject({ status: 'InProgress', type: 'AddonUpdate', errors: [] });
    expect(update?.params).toEqual(
      expect.arrayContaining([
        { type: 'AddonVersion', value: 'v1.2.0-eksbuild.1' },
        { type: 'ResolveConflicts', value: 'OVERWRITE' },
      ]),
    );
    expect(update?.createdAt).toBeInstanceOf(Date);
    const during = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-prod', addonName: INFERENCE }),
    );
    expect(during.addon?.status).toBe('UPDATING');
    const e = await rejection(
      strict.send(
        new UpdateAddonCommand({
          clusterName: 'ml-prod',
          addonName: INFERENCE,
          addonVersion: 'v1.1.0-eksbuild.1',
        }),
      ),
    );
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['ResourceInUseException', 409]);
    await settle('ml-prod', INFERENCE);
    const done = await client.send(
      new DescribeUpdateCommand({ name: 'ml-prod', updateId: update!.id!, addonName: INFERENCE }),
    );
    expect(done.update).toMatchObject({ id: update!.id, status: 'Successful', errors: [] });
    const after = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-prod', addonName: INFERENCE }),
    );
    expect(after.addon).toMatchObject({ status: 'ACTIVE', addonVersion: 'v1.2.0-eksbuild.1' });
    expect(
      kubeOf('ml-prod').get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'hyperpod-inference-system',
        name: 'hyperpod-inference-gateway',
      }),
    ).toBeDefined();
    const list = await client.send(
      new ListUpdatesCommand({ name: 'ml-prod', addonName: INFERENCE }),
    );
    expect(list.updateIds).toEqual([update!.id]);
  });

  it('does not roll back a failed update: the new version stays, the add-on is DEGRADED, the update Failed', async () => {
    eks.failOn({
      addonName: 'metrics-server',
      addonVersion: 'v0.8.0-eksbuild.1',
      kind: 'update',
      outcome: 'DEGRADED',
      issue: {
        code: 'InsufficientNumberOfReplicas',
        message: "The add-on is unhealthy because it doesn't have the desired number of replicas.",
        resourceIds: ['metrics-server'],
      },
      times: 1,
    });
    const { update } = await client.send(
      new UpdateAddonCommand({
        clusterName: 'ml-batch',
        addonName: 'metrics-server',
        addonVersion: 'v0.8.0-eksbuild.1',
      }),
    );
    await settle('ml-batch', 'metrics-server');
    const described = await client.send(
      new DescribeUpdateCommand({
        name: 'ml-batch',
        updateId: update!.id!,
        addonName: 'metrics-server',
      }),
    );
    expect(described.update).toMatchObject({
      status: 'Failed',
      errors: [{ errorCode: 'InsufficientNumberOfReplicas', resourceIds: ['metrics-server'] }],
    });
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-batch', addonName: 'metrics-server' }),
    );
    expect(addon).toMatchObject({
      status: 'DEGRADED',
      addonVersion: 'v0.8.0-eksbuild.1',
      health: { issues: [{ code: 'InsufficientNumberOfReplicas' }] },
    });
    const waited = await waitUntilAddonActive(
      { client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 },
      { clusterName: 'ml-batch', addonName: 'metrics-server' },
    ).catch((e: Error) => e);
    expect(String(waited)).toMatch(/FAILURE/);
  });

  it("fails a create with NONE when another manager owns a field, with EKS's conflict message; OVERWRITE takes it over", async () => {
    const kube = kubeOf('ml-legacy');
    kube.apply(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'metrics-server', namespace: 'kube-system' },
        spec: {
          replicas: 3,
          selector: { matchLabels: { 'app.kubernetes.io/name': 'metrics-server' } },
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': 'metrics-server' } },
            spec: {
              containers: [
                {
                  name: 'metrics-server',
                  image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.1',
                },
              ],
            },
          },
        },
      },
      { fieldManager: 'helm', force: true },
    );
    await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'metrics-server',
        addonVersion: 'v0.7.2-eksbuild.4',
      }),
    );
    await settle('ml-legacy', 'metrics-server');
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-legacy', addonName: 'metrics-server' }),
    );
    expect(addon?.status).toBe('CREATE_FAILED');
    const issue = addon!.health!.issues![0]!;
    expect(issue.code).toBe('ConfigurationConflict');
    expect(issue.message).toMatch(
      /^Conflicts found when trying to apply\. Will not continue due to resolve conflicts mode\. Conflicts:\n/,
    );
    expect(issue.message).toContain('Deployment.apps metrics-server - .spec.replicas');
    expect(issue.resourceIds).toEqual(['metrics-server']);

    await client.send(
      new DeleteAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'metrics-server',
        preserve: true,
      }),
    );
    await settle('ml-legacy', 'metrics-server');
    await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-legacy',
        addonName: 'metrics-server',
        addonVersion: 'v0.7.2-eksbuild.4',
        resolveConflicts: 'OVERWRITE',
      }),
    );
    await settle('ml-legacy', 'metrics-server');
    const again = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-legacy', addonName: 'metrics-server' }),
    );
    expect(again.addon?.status).toBe('ACTIVE');
    const dep = kube.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'kube-system',
      name: 'metrics-server',
    });
    expect((dep?.['spec'] as { replicas: number }).replicas).toBe(2);
    expect(managers(dep)).toContain('eks');
  });

  it('fails an update with NONE on a conflict: update Failed with ConfigurationConflict, add-on DEGRADED', async () => {
    const kube = kubeOf('ml-batch');
    kube.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system', name: 'coredns' },
      'merge',
      { spec: { replicas: 5 } },
      'kubectl-edit',
    );
    const { update } = await client.send(
      new UpdateAddonCommand({
        clusterName: 'ml-batch',
        addonName: 'coredns',
        addonVersion: 'v1.11.1-eksbuild.13',
        resolveConflicts: 'NONE',
      }),
    );
    await settle('ml-batch', 'coredns');
    const d = await client.send(
      new DescribeUpdateCommand({ name: 'ml-batch', updateId: update!.id!, addonName: 'coredns' }),
    );
    expect(d.update?.status).toBe('Failed');
    expect(d.update?.errors?.[0]).toMatchObject({
      errorCode: 'ConfigurationConflict',
      errorMessage: expect.stringContaining('Deployment.apps coredns - .spec.replicas'),
    });
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-batch', addonName: 'coredns' }),
    );
    expect(addon).toMatchObject({ status: 'DEGRADED', addonVersion: 'v1.11.1-eksbuild.13' });
  });

  it('deletes an add-on and its workloads; with preserve the workloads stay', async () => {
    await client.send(
      new CreateAddonCommand({ clusterName: 'ml-edge', addonName: 'aws-fsx-csi-driver' }),
    );
    await client.send(
      new CreateAddonCommand({ clusterName: 'ml-edge', addonName: 'aws-mountpoint-s3-csi-driver' }),
    );
    await eks.settled();
    const kube = kubeOf('ml-edge');
    const fsx = { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', name: 'fsx.csi.aws.com' };
    const s3 = { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', name: 's3.csi.aws.com' };
    expect(kube.get(fsx)).toBeDefined();
    expect(kube.get(s3)).toBeDefined();
    const deleting = await client.send(
      new DeleteAddonCommand({ clusterName: 'ml-edge', addonName: 'aws-fsx-csi-driver' }),
    );
    expect(deleting.addon?.status).toBe('DELETING');
    const inUse = await rejection(
      strict.send(
        new DeleteAddonCommand({ clusterName: 'ml-edge', addonName: 'aws-fsx-csi-driver' }),
      ),
    );
    expect(inUse.name).toBe('ResourceInUseException');
    await client.send(
      new DeleteAddonCommand({
        clusterName: 'ml-edge',
        addonName: 'aws-mountpoint-s3-csi-driver',
        preserve: true,
      }),
    );
    await eks.settled();
    const gone = await rejection(
      strict.send(
        new DescribeAddonCommand({ clusterName: 'ml-edge', addonName: 'aws-fsx-csi-driver' }),
      ),
    );
    expect([gone.name, gone.$metadata.httpStatusCode, gone.message]).toEqual([
      'ResourceNotFoundException',
      404,
      'No addon: aws-fsx-csi-driver found in cluster: ml-edge',
    ]);
    expect(kube.get(fsx)).toBeUndefined();
    expect(
      kube.get({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        namespace: 'kube-system',
        name: 'fsx-csi-node',
      }),
    ).toBeUndefined();
    expect(kube.get(s3)).toBeDefined();
    expect(
      kube.get({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        namespace: 'kube-system',
        name: 's3-csi-node',
      }),
    ).toBeDefined();
    expect((await client.send(new ListAddonsCommand({ clusterName: 'ml-edge' }))).addons).toEqual(
      [],
    );
  });

  it('ends a create CREATE_FAILED when a failure is scripted for that version', async () => {
    eks.failOn({
      addonName: 'vpc-cni',
      addonVersion: 'v1.19.2-eksbuild.1',
      kind: 'create',
      outcome: 'CREATE_FAILED',
      issue: { code: 'AccessDenied', message: 'The role given is not authorized' },
      times: 1,
    });
    await client.send(
      new CreateAddonCommand({
        clusterName: 'ml-edge',
        addonName: 'vpc-cni',
        addonVersion: 'v1.19.2-eksbuild.1',
      }),
    );
    const waited = await waitUntilAddonActive(
      { client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 },
      { clusterName: 'ml-edge', addonName: 'vpc-cni' },
    ).catch((e: Error) => e);
    expect(String(waited)).toMatch(/FAILURE/);
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: 'ml-edge', addonName: 'vpc-cni' }),
    );
    expect(addon).toMatchObject({
      status: 'CREATE_FAILED',
      health: { issues: [{ code: 'AccessDenied', message: 'The role given is not authorized' }] },
    });
  });
});
