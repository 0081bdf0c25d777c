/**
 * The sandbox's EKS add-on catalog, driven by the real @aws-sdk/client-eks: add-on versions by
 * Kubernetes version, type, owner and publisher, and each version's configuration schema.
 */
import {
  DescribeAddonConfigurationCommand,
  DescribeAddonVersionsCommand,
  type AddonInfo,
} from '@aws-sdk/client-eks';
import { client, INFERENCE, rejection, strict, useEksSandbox } from './eksSandbox';

useEksSandbox();

describe('add-on catalog operations', () => {
  it('filters add-on versions by name and Kubernetes version, with one default version', async () => {
    const { addons } = await client.send(
      new DescribeAddonVersionsCommand({ addonName: INFERENCE, kubernetesVersion: '1.31' }),
    );
    expect(addons).toHaveLength(1);
    const info = addons![0]!;
    expect(info).toMatchObject({
      addonName: INFERENCE,
      type: 'machine-learning',
      owner: 'aws',
      publisher: 'eks',
    });
    const versions = info.addonVersions!.map((v) => v.addonVersion);
    expect(versions).toEqual([
      'v1.2.0-eksbuild.1',
      'v1.1.0-eksbuild.1',
      'v1.0.1-eksbuild.1',
      'v1.0.0-eksbuild.1',
    ]);
    for (const v of info.addonVersions!) {
      expect(v.compatibilities).toEqual([
        { clusterVersion: '1.31', platformVersions: ['*'], defaultVersion: expect.any(Boolean) },
      ]);
      expect(v.requiresConfiguration).toBe(true);
      expect(v.requiresIamPermissions).toBe(true);
    }
    expect(
      info
        .addonVersions!.filter((v) => v.compatibilities![0]!.defaultVersion)
        .map((v) => v.addonVersion),
    ).toEqual(['v1.1.0-eksbuild.1']);
  });

  it('pages through every add-on and filters by type, owner and publisher', async () => {
    const all: AddonInfo[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new DescribeAddonVersionsCommand({ maxResults: 5, nextToken }),
      );
      all.push(...(page.addons ?? []));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(new Set(all.map((a) => a.addonName)).size).toBe(all.length);
    const storage = await client.send(new DescribeAddonVersionsCommand({ types: ['storage'] }));
    expect(storage.addons!.map((a) => a.addonName)).toEqual(
      expect.arrayContaining([
        'aws-mountpoint-s3-csi-driver',
        'aws-fsx-csi-driver',
        'aws-ebs-csi-driver',
      ]),
    );
    expect(storage.addons!.every((a) => a.type === 'storage')).toBe(true);
    const community = await client.send(
      new DescribeAddonVersionsCommand({ owners: ['community'], publishers: ['eks'] }),
    );
    expect(community.addons!.map((a) => a.addonName).sort()).toEqual([
      'cert-manager',
      'metrics-server',
    ]);
  });

  it('omits add-ons with no version for a Kubernetes version', async () => {
    const on132 = await client.send(
      new DescribeAddonVersionsCommand({ addonName: 'adot', kubernetesVersion: '1.32' }),
    );
    expect(on132.addons).toHaveLength(1);
    const on133 = await client.send(
      new DescribeAddonVersionsCommand({ addonName: 'adot', kubernetesVersion: '1.33' }),
    );
    expect(on133.addons).toEqual([]);
  });

  it('returns the configuration schema of a version as a JSON Schema string', async () => {
    const out = await client.send(
      new DescribeAddonConfigurationCommand({
        addonName: INFERENCE,
        addonVersion: 'v1.0.0-eksbuild.1',
      }),
    );
    const schema = JSON.parse(out.configurationSchema!) as {
      $schema: string;
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'executionRoleArn',
        'tlsCertificateS3Bucket',
        'hyperpodClusterArn',
        'jumpstartGatedModelDownloadRoleArn',
        'alb',
        'keda',
      ]),
    );
    expect(schema.properties).not.toHaveProperty('inferenceGateway');
    expect(schema.required).toEqual([
      'executionRoleArn',
      'tlsCertificateS3Bucket',
      'hyperpodClusterArn',
    ]);
    expect(out.podIdentityConfiguration).toEqual([
      {
        serviceAccount: 'hyperpod-inference-controller-manager',
        recommendedManagedPolicies: [expect.stringMatching(/^arn:aws:iam::aws:policy\//)],
      },
    ]);
    const later = await client.send(
      new DescribeAddonConfigurationCommand({
        addonName: INFERENCE,
        addonVersion: 'v1.2.0-eksbuild.1',
      }),
    );
    expect(Object.keys(JSON.parse(later.configurationSchema!).properties)).toEqual(
      expect.arrayContaining(['inferenceOperator', 'inferenceGateway']),
    );
  });

  it('refuses a configuration request for an unknown version', async () => {
    const e = await rejection(
      strict.send(
        new DescribeAddonConfigurationCommand({
          addonName: INFERENCE,
          addonVersion: 'v9.9.9-eksbuild.1',
        }),
      ),
    );
    expect(e.name).toBe('InvalidParameterException');
    expect(e.$metadata.httpStatusCode).toBe(400);
  });
});
