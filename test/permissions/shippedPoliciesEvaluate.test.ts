import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluatePolicies, type PolicyDocument } from '@hyperpod/sandbox/testing';

/**
 * The shipped IAM policies, read as users apply them, under the sandbox's IAM evaluation: what
 * each grants, and that the conditions scope writes to what the migration created.
 */
const load = (name: string): PolicyDocument =>
  JSON.parse(
    readFileSync(path.join(__dirname, `../../permissions/iam/hyperpod-${name}.json`), 'utf8'),
  ) as PolicyDocument;
const ACCT = '111111111111';
const role = (name: string) => `arn:aws:iam::${ACCT}:role/${name}`;
const addon = (name: string) => `arn:aws:eks:us-east-1:${ACCT}:addon/ml-prod-use1/${name}/abcd`;
const CLUSTER = `arn:aws:eks:us-east-1:${ACCT}:cluster/ml-prod-use1`;
const TAGGED = { 'aws:ResourceTag/CreatedBy': 'HyperPodInference' };

function decide(
  policy: string,
  action: string,
  resource: string,
  context?: Record<string, string | string[]>,
): string {
  return evaluatePolicies([load(policy)], { action, resource, ...(context ? { context } : {}) })
    .decision;
}

describe('the shipped policies under IAM evaluation', () => {
  it('read-only reads and changes nothing', () => {
    expect(decide('readonly', 'eks:DescribeAddon', addon('vpc-cni'))).toBe('allow');
    expect(decide('readonly', 'eks:ListClusters', '*')).toBe('allow');
    expect(decide('readonly', 'eks:UpdateAddon', addon('vpc-cni'))).toBe('implicitDeny');
    expect(decide('readonly', 'eks:CreateAddon', CLUSTER)).toBe('implicitDeny');
    expect(decide('readonly', 'iam:GetRole', role('x'))).toBe('implicitDeny');
  });

  it('operate deletes only the roles the migration created and tagged', () => {
    const alb = role('SageMakerHP-ALB-k3z9x2ab-addon');
    expect(decide('operate', 'iam:DeleteRole', alb, TAGGED)).toBe('allow');
    expect(decide('operate', 'iam:DeleteRole', alb)).toBe('implicitDeny');
    expect(decide('operate', 'iam:DeleteRole', role('Admin'), TAGGED)).toBe('implicitDeny');
    expect(decide('operate', 'iam:GetRole', role('Admin'))).toBe('allow');
  });

  it('operate creates roles only with the migration’s prefixes and tag', () => {
    const exec = role('SageMakerHyperPodInference-k3z9x2ab-execution-role');
    const requestTag = { 'aws:RequestTag/CreatedBy': 'HyperPodInference' };
    expect(decide('operate', 'iam:CreateRole', exec, requestTag)).toBe('allow');
    expect(decide('operate', 'iam:CreateRole', exec)).toBe('implicitDeny');
    expect(decide('operate', 'iam:CreateRole', role('Admin'), requestTag)).toBe('implicitDeny');
    expect(decide('operate', 'iam:AttachRolePolicy', exec, TAGGED)).toBe('allow');
    expect(decide('operate', 'iam:AttachRolePolicy', role('Admin'), TAGGED)).toBe('implicitDeny');
  });

  it('passes roles to EKS only', () => {
    const exec = role('SageMakerHyperPodInference-k3z9x2ab-execution-role');
    for (const p of ['operate', 'install']) {
      expect(decide(p, 'iam:PassRole', exec, { 'iam:PassedToService': 'eks.amazonaws.com' })).toBe(
        'allow',
      );
      expect(decide(p, 'iam:PassRole', exec, { 'iam:PassedToService': 'ec2.amazonaws.com' })).toBe(
        'implicitDeny',
      );
    }
    // install passes only the migration's roles; operate (upgrade) restates any add-on role.
    const vpcCni = role('AmazonEKSVPCCNIRole');
    const toEks = { 'iam:PassedToService': 'eks.amazonaws.com' };
    expect(decide('install', 'iam:PassRole', vpcCni, toEks)).toBe('implicitDeny');
    expect(decide('operate', 'iam:PassRole', vpcCni, toEks)).toBe('allow');
  });

  it('deletes only the add-ons the migration creates; install creates and never deletes', () => {
    expect(decide('operate', 'eks:DeleteAddon', addon('amazon-sagemaker-hyperpod-inference'))).toBe(
      'allow',
    );
    expect(decide('operate', 'eks:DeleteAddon', addon('vpc-cni'))).toBe('implicitDeny');
    expect(decide('install', 'eks:CreateAddon', CLUSTER)).toBe('allow');
    expect(decide('install', 'eks:DeleteAddon', addon('cert-manager'))).toBe('implicitDeny');
  });

  it('tags load balancers and certificates with CreatedBy only, untags only what carries it', () => {
    const lb = `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:loadbalancer/app/alb-x/0123`;
    expect(decide('operate', 'elasticloadbalancing:AddTags', lb, { 'aws:TagKeys': ['CreatedBy'] })).toBe(
      'allow',
    );
    expect(
      decide('operate', 'elasticloadbalancing:AddTags', lb, { 'aws:TagKeys': ['CreatedBy', 'Owner'] }),
    ).toBe('implicitDeny');
    expect(
      decide('operate', 'elasticloadbalancing:RemoveTags', lb, { ...TAGGED, 'aws:TagKeys': ['CreatedBy'] }),
    ).toBe('allow');
    expect(
      decide('operate', 'elasticloadbalancing:RemoveTags', lb, { 'aws:TagKeys': ['CreatedBy'] }),
    ).toBe('implicitDeny');
    const obj = 'arn:aws:s3:::hyperpod-tls-111111111111-us-east-1/cert.pem';
    expect(
      decide('operate', 's3:DeleteObjectTagging', obj, {
        's3:ExistingObjectTag/CreatedBy': 'HyperPodInference',
      }),
    ).toBe('allow');
    expect(decide('operate', 's3:DeleteObjectTagging', obj)).toBe('implicitDeny');
  });
});
