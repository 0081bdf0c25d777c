/**
 * The sandbox's IAM role policies (attached and inline) and managed policies through the real AWS
 * SDK v3 IAM client (awsQuery protocol).
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { errorOf } from '../support/awsHarness';
import { h, iam, IRSA_TRUST, S3_READ, useIamSandbox } from './iamSandbox';

useIamSandbox();

describe('role policies', () => {
  test('AttachRolePolicy / ListAttachedRolePolicies / DetachRolePolicy with AWS and customer managed policies', async () => {
    h.services.iam.seedRole({
      accountId: '111111111111',
      name: 'attach-me',
      trustPolicy: IRSA_TRUST,
    });
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'HyperPodTlsRead',
        PolicyDocument: JSON.stringify(S3_READ),
        Path: '/hyperpod/',
      }),
    );
    const customArn = created.Policy!.Arn!;
    expect(customArn).toBe('arn:aws:iam::111111111111:policy/hyperpod/HyperPodTlsRead');
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'attach-me',
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'attach-me', PolicyArn: customArn }));
    const listed = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attach-me' }));
    expect(listed.AttachedPolicies).toEqual([
      {
        PolicyName: 'AmazonS3ReadOnlyAccess',
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      },
      { PolicyName: 'HyperPodTlsRead', PolicyArn: customArn },
    ]);
    expect(
      (await iam.send(new GetPolicyCommand({ PolicyArn: customArn }))).Policy?.AttachmentCount,
    ).toBe(1);

    const missing = await errorOf(
      iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'attach-me',
          PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy',
        }),
      ),
    );
    expect(missing).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.',
    });
    const badArn = await errorOf(
      iam.send(
        new AttachRolePolicyCommand({ RoleName: 'attach-me', PolicyArn: 'AmazonS3ReadOnlyAccess' }),
      ),
    );
    expect(badArn).toMatchObject({
      name: 'InvalidInputException',
      message: 'ARN AmazonS3ReadOnlyAccess is not valid.',
    });

    const conflict = await errorOf(iam.send(new DeleteRoleCommand({ RoleName: 'attach-me' })));
    expect(conflict).toMatchObject({
      name: 'DeleteConflictException',
      status: 409,
      message: 'Cannot delete entity, must detach all policies first.',
    });
    const policyConflict = await errorOf(
      iam.send(new DeletePolicyCommand({ PolicyArn: customArn })),
    );
    expect(policyConflict).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete a policy attached to entities.',
    });

    await iam.send(
      new DetachRolePolicyCommand({
        RoleName: 'attach-me',
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      }),
    );
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'attach-me', PolicyArn: customArn }));
    expect(
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attach-me' })))
        .AttachedPolicies,
    ).toEqual([]);
    const notAttached = await errorOf(
      iam.send(new DetachRolePolicyCommand({ RoleName: 'attach-me', PolicyArn: customArn })),
    );
    expect(notAttached).toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${customArn} was not found.`,
    });
    await iam.send(new DeleteRoleCommand({ RoleName: 'attach-me' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: customArn }));
    expect((await errorOf(iam.send(new GetPolicyCommand({ PolicyArn: customArn })))).name).toBe(
      'NoSuchEntityException',
    );
  });

  test('PutRolePolicy / GetRolePolicy / ListRolePolicies / DeleteRolePolicy, and DeleteRole conflicts while inline policies exist', async () => {
    h.services.iam.seedRole({
      accountId: '111111111111',
      name: 'inline-role',
      trustPolicy: IRSA_TRUST,
    });
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'inline-role',
        PolicyName: 'tls-read',
        PolicyDocument: JSON.stringify(S3_READ),
      }),
    );
    const got = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'tls-read' }),
    );
    expect(got.RoleName).toBe('inline-role');
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(S3_READ);
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role' }))).PolicyNames,
    ).toEqual(['tls-read']);

    const conflict = await errorOf(iam.send(new DeleteRoleCommand({ RoleName: 'inline-role' })));
    expect(conflict).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete policies first.',
    });

    const withPrincipal = await errorOf(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: 'inline-role',
          PolicyName: 'bad',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }],
          }),
        }),
      ),
    );
    expect(withPrincipal).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Has prohibited field Principal',
    });

    await iam.send(
      new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'tls-read' }),
    );
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role' }))).PolicyNames,
    ).toEqual([]);
    const gone = await errorOf(
      iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'tls-read' })),
    );
    expect(gone).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role policy with name tls-read cannot be found.',
    });
    await iam.send(new DeleteRoleCommand({ RoleName: 'inline-role' }));
  });
});

describe('managed policies', () => {
  test('CreatePolicy / GetPolicy / GetPolicyVersion return the policy and its URL-encoded default version', async () => {
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'CopyOfTlsRead',
        PolicyDocument: JSON.stringify(S3_READ),
        Description: 'copied by migration',
        Tags: [{ Key: 'copied-from', Value: 'helm' }],
      }),
    );
    expect(created.Policy).toMatchObject({
      PolicyName: 'CopyOfTlsRead',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      IsAttachable: true,
      Path: '/',
    });
    expect(created.Policy?.PolicyId).toMatch(/^ANPA[A-Z0-9]{17}$/);
    const arn = created.Policy!.Arn!;
    const got = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(got.Policy?.Description).toBe('copied by migration');
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }),
    );
    expect(version.PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!))).toEqual(S3_READ);
    const awsManaged = await iam.send(
      new GetPolicyVersionCommand({
        PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
        VersionId: 'v1',
      }),
    );
    expect(
      JSON.parse(decodeURIComponent(awsManaged.PolicyVersion!.Document!)).Statement[0].Action,
    ).toContain('s3:Get*');
    const noVersion = await errorOf(
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v7' })),
    );
    expect(noVersion.name).toBe('NoSuchEntityException');
    const dup = await errorOf(
      iam.send(
        new CreatePolicyCommand({
          PolicyName: 'CopyOfTlsRead',
          PolicyDocument: JSON.stringify(S3_READ),
        }),
      ),
    );
    expect(dup).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });
    const noResource = await errorOf(
      iam.send(
        new CreatePolicyCommand({
          PolicyName: 'NoResource',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:*' }],
          }),
        }),
      ),
    );
    expect(noResource).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Policy statement must contain resources.',
    });
  });

  test('policies of another account are invisible', async () => {
    const arn = h.services.iam.seedPolicy({
      accountId: '222222222222',
      name: 'DevOnly',
      document: S3_READ,
    });
    const err = await errorOf(iam.send(new GetPolicyCommand({ PolicyArn: arn })));
    expect(err).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });
});
