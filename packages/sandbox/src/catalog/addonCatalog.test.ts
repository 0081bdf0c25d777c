import { KubeCluster } from '../kube/KubeCluster';
import { checkConfigurationValues } from '../aws/eks/configurationValues';
import { ADDON_CATALOG } from './addonCatalog';
import { KUBERNETES_VERSIONS } from './AddonSpec';
import { defaultAddonVersion, findAddonVersion, oldestAddonVersion } from './findAddon';

describe('add-on catalog', () => {
  it('offers at least 12 add-ons, including the inference add-on and its dependencies', () => {
    const names = ADDON_CATALOG.map((a) => a.addonName);
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(names).toEqual(
      expect.arrayContaining([
        'amazon-sagemaker-hyperpod-inference',
        'aws-mountpoint-s3-csi-driver',
        'aws-fsx-csi-driver',
        'cert-manager',
        'metrics-server',
      ]),
    );
    expect(findAddonVersion('aws-mountpoint-s3-csi-driver', 'v1.14.1-eksbuild.1')).toBeDefined();
    expect(findAddonVersion('aws-fsx-csi-driver', 'v1.6.0-eksbuild.1')).toBeDefined();
    expect(findAddonVersion('cert-manager', 'v1.18.2-eksbuild.2')).toBeDefined();
    expect(findAddonVersion('metrics-server', 'v0.7.2-eksbuild.4')).toBeDefined();
  });

  it('has exactly one default version per Kubernetes version an add-on supports', () => {
    for (const a of ADDON_CATALOG) {
      for (const k of KUBERNETES_VERSIONS) {
        const supported = a.versions.some((v) => v.clusterVersions.includes(k));
        const defaults = a.versions.filter((v) => v.defaultFor.includes(k));
        expect({ addon: a.addonName, k, defaults: defaults.length }).toEqual({
          addon: a.addonName,
          k,
          defaults: supported ? 1 : 0,
        });
        for (const d of defaults) expect(d.clusterVersions).toContain(k);
      }
    }
  });

  it('names the oldest version offered for a Kubernetes version, and none for an unknown add-on', () => {
    expect(oldestAddonVersion('coredns', '1.30')).toBe('v1.11.1-eksbuild.13');
    expect(oldestAddonVersion('coredns', '1.32')).toBe('v1.11.4-eksbuild.14');
    expect(oldestAddonVersion('no-such-addon', '1.30')).toBeUndefined();
  });

  it('has an add-on with no version for the newest Kubernetes version, and versions limited to some Kubernetes versions', () => {
    expect(defaultAddonVersion('adot', '1.32')).toBe('v0.109.0-eksbuild.2');
    expect(defaultAddonVersion('adot', '1.33')).toBeUndefined();
    expect(
      findAddonVersion('amazon-sagemaker-hyperpod-inference', 'v1.0.0-eksbuild.1')?.clusterVersions,
    ).not.toContain('1.33');
  });

  it('requires the execution role name prefix and a bare bucket name in the inference add-on schema, and grows the schema per version', () => {
    const v1 = findAddonVersion('amazon-sagemaker-hyperpod-inference', 'v1.0.0-eksbuild.1')!;
    const good = {
      executionRoleArn:
        'arn:aws:iam::111111111111:role/SageMakerHyperPodInference-abcd1234-execution-role',
      tlsCertificateS3Bucket: 'hyperpod-tls-111111111111',
      hyperpodClusterArn: 'arn:aws:sagemaker:us-east-1:111111111111:cluster/abcd1234efgh',
      alb: {
        serviceAccount: {
          create: true,
          roleArn: 'arn:aws:iam::111111111111:role/SageMakerHP-ALB-abcd1234-addon',
        },
      },
      keda: {
        auth: {
          aws: {
            irsa: { roleArn: 'arn:aws:iam::111111111111:role/SageMakerHP-KEDA-abcd1234-addon' },
          },
        },
      },
    };
    expect(checkConfigurationValues(JSON.stringify(good), v1.configurationSchema).ok).toBe(true);
    const badRole = checkConfigurationValues(
      JSON.stringify({
        ...good,
        executionRoleArn: 'arn:aws:iam::111111111111:role/hyperpod-execution',
      }),
      v1.configurationSchema,
    );
    expect(badRole).toMatchObject({
      ok: false,
      message: expect.stringContaining('$.executionRoleArn: does not match the regex pattern'),
    });
    const s3Url = checkConfigurationValues(
      JSON.stringify({ ...good, tlsCertificateS3Bucket: 's3://hyperpod-tls' }),
      v1.configurationSchema,
    );
    expect(s3Url.ok).toBe(false);
    const gateway = { ...good, inferenceGateway: { enabled: true } };
    expect(checkConfigurationValues(JSON.stringify(gateway), v1.configurationSchema)).toMatchObject(
      {
        ok: false,
        message: expect.stringContaining(
          '$.inferenceGateway: is not defined in the schema and the schema does not allow additional properties',
        ),
      },
    );
    const v12 = findAddonVersion('amazon-sagemaker-hyperpod-inference', 'v1.2.0-eksbuild.1')!;
    expect(
      checkConfigurationValues(
        JSON.stringify({ ...gateway, inferenceOperator: { enabled: true } }),
        v12.configurationSchema,
      ).ok,
    ).toBe(true);
  });

  it('renders workloads every version can apply to a fresh cluster', () => {
    for (const a of ADDON_CATALOG) {
      for (const v of a.versions) {
        const kube = new KubeCluster({ name: 'catalog', version: v.clusterVersions[0]! });
        const objects = a.workloads({
          accountId: '111111111111',
          region: 'us-east-1',
          clusterName: 'catalog',
          addonVersion: v.addonVersion,
          config: {},
        });
        expect(objects.length).toBeGreaterThan(0);
        for (const o of objects) {
          expect(() => kube.apply(o, { fieldManager: 'eks', force: false })).not.toThrow();
        }
      }
    }
  });

  it('puts the names the migration relies on into the cluster', () => {
    const names = (addon: string, version: string) =>
      ADDON_CATALOG.find((a) => a.addonName === addon)!
        .workloads({
          accountId: '111111111111',
          region: 'us-east-2',
          clusterName: 'c',
          addonVersion: version,
          config: {},
        })
        .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    const expected: [addon: string, version: string, objects: string[]][] = [
      [
        'amazon-sagemaker-hyperpod-inference',
        'v1.0.0-eksbuild.1',
        [
          'Deployment/hyperpod-inference-system/hyperpod-inference-controller-manager',
          'CustomResourceDefinition//jumpstartmodels.inference.sagemaker.aws.amazon.com',
          'Deployment/hyperpod-inference-system/keda-operator',
        ],
      ],
      [
        'aws-mountpoint-s3-csi-driver',
        'v1.14.1-eksbuild.1',
        ['DaemonSet/kube-system/s3-csi-node', 'CSIDriver//s3.csi.aws.com'],
      ],
      [
        'aws-fsx-csi-driver',
        'v1.6.0-eksbuild.1',
        ['DaemonSet/kube-system/fsx-csi-node', 'CSIDriver//fsx.csi.aws.com'],
      ],
      [
        'cert-manager',
        'v1.18.2-eksbuild.2',
        [
          'CustomResourceDefinition//certificates.cert-manager.io',
          'CustomResourceDefinition//certificaterequests.cert-manager.io',
          'Deployment/cert-manager/cert-manager',
        ],
      ],
      ['metrics-server', 'v0.7.2-eksbuild.4', ['Deployment/kube-system/metrics-server']],
    ];
    for (const [addon, version, objects] of expected)
      expect({ addon, names: names(addon, version) }).toEqual({
        addon,
        names: expect.arrayContaining(objects),
      });
  });
});
