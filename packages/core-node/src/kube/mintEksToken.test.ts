import { createHash, createHmac } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { Sandbox } from '@hyperpod/sandbox';
import { eksGetTokenExec, eksTokenProvider, mintEksToken } from './mintEksToken';
import { ClientNodeKubeGateway } from './ClientNodeKubeGateway';
import { FLEET_READER_ROLE } from '../contract/fleetReaderRole';

const CREDS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const SIGNED_AT = new Date('2026-03-04T05:06:07Z');

function decode(token: string): URL {
  expect(token.startsWith('k8s-aws-v1.')).toBe(true);
  const body = token.slice('k8s-aws-v1.'.length);
  expect(body).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
  return new URL(Buffer.from(body, 'base64url').toString('utf8'));
}

/** SigV4 by hand (not the signer under test): what STS recomputes when EKS calls the URL. */
function expectedSignature(url: URL, clusterName: string, secret: string): string {
  const q = [...url.searchParams.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    'GET',
    '/',
    q,
    `host:${url.host}\nx-k8s-aws-id:${clusterName}\n`,
    'host;x-k8s-aws-id',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const date = url.searchParams.get('X-Amz-Date')!;
  const scope = url.searchParams.get('X-Amz-Credential')!.split('/').slice(1).join('/');
  const toSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  const [day, region, service] = scope.split('/');
  let key: Buffer = Buffer.from(`AWS4${secret}`);
  for (const part of [day!, region!, service!, 'aws4_request'])
    key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('mintEksToken', () => {
  it('encodes an STS GetCallerIdentity URL presigned for 60 s with x-k8s-aws-id signed', async () => {
    const { token, expiresAt } = await mintEksToken({
      clusterName: 'ml-prod-use1',
      region: 'us-east-1',
      credentials: CREDS,
      now: SIGNED_AT,
    });
    const url = decode(token);
    expect(url.origin).toBe('https://sts.us-east-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const q = url.searchParams;
    expect(q.get('Action')).toBe('GetCallerIdentity');
    expect(q.get('Version')).toBe('2011-06-15');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Credential')).toBe(
      'AKIAIOSFODNN7EXAMPLE/20260304/us-east-1/sts/aws4_request',
    );
    expect(q.get('X-Amz-Date')).toBe('20260304T050607Z');
    expect(q.get('X-Amz-Expires')).toBe('60');
    expect(q.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(q.has('X-Amz-Security-Token')).toBe(false);
    expect(expiresAt.toISOString()).toBe('2026-03-04T05:21:07.000Z');
  });

  it('signs correctly: the signature is SigV4 of the request with the secret key, and no other', async () => {
    const { token } = await mintEksToken({
      clusterName: 'ml-research-usw2',
      region: 'us-west-2',
      credentials: CREDS,
      now: SIGNED_AT,
    });
    const url = decode(token);
    const sig = url.searchParams.get('X-Amz-Signature');
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    expect(sig).toBe(expectedSignature(url, 'ml-research-usw2', CREDS.secretAccessKey));
    // The cluster name is part of what is signed: a token for one cluster is not one for another.
    expect(sig).not.toBe(expectedSignature(url, 'ml-prod-use1', CREDS.secretAccessKey));
    expect(sig).not.toBe(expectedSignature(url, 'ml-research-usw2', 'another-secret'));
  });

  it('carries a session token as X-Amz-Security-Token and signs for China regions at the .cn host', async () => {
    const { token } = await mintEksToken({
      clusterName: 'c',
      region: 'cn-north-1',
      credentials: { ...CREDS, sessionToken: 'FwoGZXIvYXdzEXAMPLE' },
      now: SIGNED_AT,
    });
    const url = decode(token);
    expect(url.host).toBe('sts.cn-north-1.amazonaws.com.cn');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('FwoGZXIvYXdzEXAMPLE');
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(url, 'c', CREDS.secretAccessKey),
    );
  });
});

function kc(users: object[]): KubeConfig {
  const k = new KubeConfig();
  k.loadFromString(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://x.example' } }],
      users,
      contexts: users.map((u) => ({
        name: (u as { name: string }).name,
        context: { cluster: 'c', user: (u as { name: string }).name },
      })),
    }),
  );
  return k;
}

const execUser = (name: string, exec: object) => ({
  name,
  user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', ...exec } },
});

describe('eksGetTokenExec', () => {
  it('reads what `aws eks update-kubeconfig --profile --role-arn` writes', () => {
    const k = kc([
      execUser('u', {
        command: 'aws',
        args: '--region us-west-2 eks get-token --cluster-name ml-staging-usw2 --output json --role-arn arn:aws:iam::222222222222:role/admin'.split(
          ' ',
        ),
        env: [{ name: 'AWS_PROFILE', value: 'dev' }],
      }),
    ]);
    expect(eksGetTokenExec(k, 'u')).toEqual({
      clusterName: 'ml-staging-usw2',
      region: 'us-west-2',
      profile: 'dev',
      roleArn: 'arn:aws:iam::222222222222:role/admin',
    });
  });

  it('takes the name from --cluster-id ARNs, the region from the exec env, and an absolute aws path', () => {
    const k = kc([
      execUser('u', {
        command: '/usr/local/bin/aws',
        args: ['eks', 'get-token', '--cluster-id', 'arn:aws:eks:us-east-1:111111111111:cluster/p'],
        env: [{ name: 'AWS_DEFAULT_REGION', value: 'us-east-1' }],
      }),
    ]);
    expect(eksGetTokenExec(k, 'u')).toEqual({ clusterName: 'p', region: 'us-east-1' });
  });

  it('leaves every other user to client-node', () => {
    const k = kc([
      execUser('authenticator', {
        command: 'aws-iam-authenticator',
        args: ['token', '-i', 'p', '--region', 'us-east-1'],
      }),
      execUser('other-plugin', {
        command: 'kubelogin',
        args: ['eks', 'get-token', '--cluster-name', 'p', '--region', 'us-east-1'],
      }),
      execUser('other-aws-command', {
        command: 'aws',
        args: ['sso', 'get-token', '--cluster-name', 'p', '--region', 'us-east-1'],
      }),
      execUser('no-region', { command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'p'] }),
      { name: 'static', user: { token: 'abc' } },
    ]);
    for (const u of ['authenticator', 'other-plugin', 'other-aws-command', 'no-region', 'static'])
      expect(eksGetTokenExec(k, u)).toBeUndefined();
    expect(eksGetTokenExec(k, 'no-such-context')).toBeUndefined();
  });
});

describe('eksTokenProvider', () => {
  it('mints once, shares the mint among concurrent callers and re-mints shortly before EKS would refuse it', async () => {
    let now = SIGNED_AT.getTime();
    let fetched = 0;
    const provider = eksTokenProvider(
      { clusterName: 'p', region: 'us-east-1' },
      {
        credentials: async () => {
          fetched++;
          return CREDS;
        },
        now: () => now,
      },
    );
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toBe(b);
    expect(fetched).toBe(1);
    now += 10 * 60_000;
    expect(await provider()).toBe(a);
    now += 3 * 60_000;
    const c = await provider();
    expect(c).not.toBe(a);
    expect(decode(c).searchParams.get('X-Amz-Date')).toBe('20260304T051907Z');
    expect(fetched).toBe(2);
  });

  describe('on the sandbox', () => {
    let sb: Sandbox;
    beforeAll(async () => {
      sb = await Sandbox.start({ scenario: 'demo' });
      sb.services.iam.seedRole(FLEET_READER_ROLE);
    }, 60_000);
    afterAll(async () => {
      await sb?.stop();
    });

    /** The cluster's kubeconfig with a user that has no credentials of its own. */
    function bare(cluster: string): KubeConfig {
      const k = new KubeConfig();
      k.loadFromString(sb.kubeconfig(cluster));
      const user = k.getContextObject(cluster)!.user;
      k.loadFromOptions({
        clusters: k.clusters,
        contexts: k.contexts,
        users: k.users.map((u) => (u.name === user ? { name: u.name } : u)),
        currentContext: cluster,
      });
      return k;
    }

    it('a minted token opens the cluster of the account whose keys signed it', async () => {
      const prod = sb.accounts.find((a) => a.alias === 'prod')!;
      const token = eksTokenProvider(
        { clusterName: 'ml-prod-use1', region: 'us-east-1' },
        { credentials: async () => prod },
      );
      const kube = new ClientNodeKubeGateway(bare('ml-prod-use1'), { bearerToken: token });
      expect((await kube.version()).gitVersion).toMatch(/^v1\.\d+/);
      // Without the token the same user is refused: the minted one is what got in.
      await expect(new ClientNodeKubeGateway(bare('ml-prod-use1')).version()).rejects.toMatchObject(
        { kind: 'Unauthenticated' },
      );
    });

    it('with --role-arn assumes the role once and signs with its temporary keys', async () => {
      const prod = sb.accounts.find((a) => a.alias === 'prod')!;
      sb.resetAwsCallStats();
      const token = eksTokenProvider(
        {
          clusterName: 'ml-dev-use1',
          region: 'us-east-1',
          roleArn: 'arn:aws:iam::222222222222:role/hyperpod-fleet-reader',
        },
        { credentials: async () => prod, endpoint: sb.awsEndpoint },
      );
      const url = decode(await token());
      const akid = url.searchParams.get('X-Amz-Credential')!.split('/')[0];
      expect(akid).not.toBe(prod.accessKeyId);
      expect(url.searchParams.get('X-Amz-Security-Token')).toBeTruthy();
      expect(sb.awsCallStats().byOperation['sts.AssumeRole']).toBe(1);
      await token();
      expect(sb.awsCallStats().byOperation['sts.AssumeRole']).toBe(1);
      // The dev cluster takes it: the assumed keys belong to its account, the prod keys do not.
      const kube = new ClientNodeKubeGateway(bare('ml-dev-use1'), { bearerToken: token });
      expect((await kube.version()).gitVersion).toMatch(/^v1\.\d+/);
      const asProd = eksTokenProvider(
        { clusterName: 'ml-dev-use1', region: 'us-east-1' },
        { credentials: async () => prod },
      );
      await expect(
        new ClientNodeKubeGateway(bare('ml-dev-use1'), { bearerToken: asProd }).version(),
      ).rejects.toMatchObject({ kind: 'Unauthenticated' });
    });

    it('a credentials failure is an Unauthenticated kube error naming the context', async () => {
      const token = eksTokenProvider(
        { clusterName: 'ml-prod-use1', region: 'us-east-1' },
        {
          credentials: async () => {
            throw new Error('Could not load credentials from any providers');
          },
        },
      );
      await expect(
        new ClientNodeKubeGateway(bare('ml-prod-use1'), { bearerToken: token }).version(),
      ).rejects.toMatchObject({
        kind: 'Unauthenticated',
        message: expect.stringMatching(/ml-prod-use1.*Could not load credentials/),
      });
    });
  });
});
