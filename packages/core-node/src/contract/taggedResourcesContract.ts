/**
 * What every Elbv2Gateway, AcmGateway and SageMakerGateway must do: run against the in-memory
 * fakes and the AwsSdk adapters on the sandbox. Small ports, one file.
 */
import type { AcmGateway, Elbv2Gateway, SageMakerGateway } from '@hyperpod/core';
import { rejection } from './eventually';

export interface Elbv2ContractFixture {
  gateway: Elbv2Gateway;
  /** Seeds ALBs named `names` with tags; returns their ARNs. */
  seed(lbs: { name: string; tags: Record<string, string> }[]): Promise<string[]>;
  teardown(): Promise<void>;
}

export function elbv2GatewayContract(
  name: string,
  setup: () => Promise<Elbv2ContractFixture>,
): void {
  describe(`Elbv2Gateway contract: ${name}`, () => {
    let f: Elbv2ContractFixture;
    let arns: string[];
    beforeAll(async () => {
      f = await setup();
      arns = await f.seed(
        Array.from({ length: 25 }, (_, i) => ({
          name: `k8s-inference-${String(i).padStart(2, '0')}`,
          tags: { 'elbv2.k8s.aws/cluster': 'ml-prod-use1', index: String(i) },
        })),
      );
    });
    afterAll(async () => {
      await f?.teardown();
    });

    it('describes all load balancers, by name and by ARN (more than 20 ARNs)', async () => {
      const all = await f.gateway.describeLoadBalancers();
      expect(all.map((lb) => lb.arn)).toEqual(expect.arrayContaining(arns));
      for (const lb of all) expect(lb.dnsName).toMatch(/elb\.amazonaws\.com$/);
      expect(
        (await f.gateway.describeLoadBalancers({ names: ['k8s-inference-03'] })).map(
          (lb) => lb.arn,
        ),
      ).toEqual([arns[3]]);
      expect((await f.gateway.describeLoadBalancers({ arns })).length).toBe(25);
    });

    it('reads, adds and removes tags', async () => {
      const tags = await f.gateway.getTags(arns);
      expect(Object.keys(tags)).toHaveLength(25);
      expect(tags[arns[7]!]).toEqual({ 'elbv2.k8s.aws/cluster': 'ml-prod-use1', index: '7' });
      await f.gateway.addTags([arns[7]!], { 'hyperpod.aws/owner': 'addon' });
      await f.gateway.removeTags([arns[7]!], ['index']);
      expect((await f.gateway.getTags([arns[7]!]))[arns[7]!]).toEqual({
        'elbv2.k8s.aws/cluster': 'ml-prod-use1',
        'hyperpod.aws/owner': 'addon',
      });
    });

    it('answers NotFound for a name that does not exist', async () => {
      expect(
        (await rejection(f.gateway.describeLoadBalancers({ names: ['no-such-lb'] }))).kind,
      ).toBe('NotFound');
    });
  });
}

export interface AcmContractFixture {
  gateway: AcmGateway;
  accountId: string;
  seed(domainName: string, tags: Record<string, string>): Promise<string>;
  teardown(): Promise<void>;
}

export function acmGatewayContract(name: string, setup: () => Promise<AcmContractFixture>): void {
  describe(`AcmGateway contract: ${name}`, () => {
    let f: AcmContractFixture;
    let arn: string;
    beforeAll(async () => {
      f = await setup();
      arn = await f.seed('inference.ml-prod.example.com', {
        'hyperpod.aws/cluster': 'ml-prod-use1',
      });
    });
    afterAll(async () => {
      await f?.teardown();
    });

    it('lists and describes a certificate', async () => {
      expect((await f.gateway.listCertificates()).map((c) => c.arn)).toContain(arn);
      expect(await f.gateway.describeCertificate(arn)).toMatchObject({
        arn,
        domainName: 'inference.ml-prod.example.com',
        status: 'ISSUED',
        subjectAlternativeNames: ['inference.ml-prod.example.com'],
      });
    });

    it('reads, adds and removes tags', async () => {
      await f.gateway.addTags(arn, { 'hyperpod.aws/owner': 'addon' });
      await f.gateway.removeTags(arn, ['hyperpod.aws/cluster']);
      expect(await f.gateway.listTags(arn)).toEqual({ 'hyperpod.aws/owner': 'addon' });
    });

    it('answers NotFound for an unknown certificate and InvalidParameter for a malformed ARN', async () => {
      const missing = `arn:aws:acm:us-east-1:${f.accountId}:certificate/00000000-0000-4000-8000-000000000000`;
      expect((await rejection(f.gateway.describeCertificate(missing))).kind).toBe('NotFound');
      expect((await rejection(f.gateway.listTags('arn:aws:acm:not-an-arn'))).kind).toBe(
        'InvalidParameter',
      );
    });
  });
}

export interface SageMakerContractFixture {
  gateway: SageMakerGateway;
  /** Seeds a HyperPod cluster on `eksClusterArn`; returns its ARN. */
  seed(name: string, eksClusterArn: string): Promise<string>;
  teardown(): Promise<void>;
}

export function sageMakerGatewayContract(
  name: string,
  setup: () => Promise<SageMakerContractFixture>,
): void {
  describe(`SageMakerGateway contract: ${name}`, () => {
    let f: SageMakerContractFixture;
    const eks = (n: number) => `arn:aws:eks:us-east-1:111111111111:cluster/ml-cluster-${n}`;
    beforeAll(async () => {
      f = await setup();
      for (let i = 0; i < 12; i++) await f.seed(`hp-cluster-${String(i).padStart(2, '0')}`, eks(i));
    });
    afterAll(async () => {
      await f?.teardown();
    });

    it('lists every HyperPod cluster, across pages', async () => {
      const list = await f.gateway.listHyperPodClusters();
      expect(list.map((c) => c.name).sort()).toEqual(
        Array.from({ length: 12 }, (_, i) => `hp-cluster-${String(i).padStart(2, '0')}`),
      );
      for (const c of list) expect(c.status).toBe('InService');
    });

    it('describes a cluster by name or ARN with its EKS cluster', async () => {
      const byName = await f.gateway.describeHyperPodCluster('hp-cluster-05');
      expect(byName).toMatchObject({
        name: 'hp-cluster-05',
        status: 'InService',
        eksClusterArn: eks(5),
      });
      expect((await f.gateway.describeHyperPodCluster(byName.arn)).name).toBe('hp-cluster-05');
    });

    it('answers NotFound for an unknown cluster, InvalidParameter for an invalid name', async () => {
      expect((await rejection(f.gateway.describeHyperPodCluster('no-such-cluster'))).kind).toBe(
        'NotFound',
      );
      expect((await rejection(f.gateway.describeHyperPodCluster('invalid_name!'))).kind).toBe(
        'InvalidParameter',
      );
    });
  });
}
