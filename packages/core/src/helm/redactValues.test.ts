import { READABLE_VALUES, SECRET_CASES } from './fixtures/redactionCorpus';
import {
  REDACTED,
  isSecretKey,
  redactText,
  redactValues,
  sensitiveValuePaths,
} from './redactValues';

const PEM_KEY =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----\n';

/** User values of an inference operator install, with secrets a careless `--set` leaves behind. */
function values() {
  return {
    executionRoleArn: 'arn:aws:iam::111122223333:role/hyperpod-inference-execution',
    tlsCertificateS3Bucket: 's3://hyperpod-tls-111122223333',
    hyperpodClusterArn: 'arn:aws:sagemaker:us-east-2:111122223333:cluster/abcd1234efgh',
    image: { repository: '061051259071.dkr.ecr.us-east-2.amazonaws.com', tag: 'v3.2' },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }],
            },
          ],
        },
      },
    },
    alb: {
      serviceAccount: {
        roleArn: 'arn:aws:iam::111122223333:role/alb',
        name: 'aws-load-balancer-controller',
      },
    },
    grafana: { adminPassword: 'hunter2', admin: { existingSecretName: 'grafana-admin' } },
    registry: { auth: { token: 12345, username: 'robot' } },
    webhook: {
      tls: { key: PEM_KEY, crt: 'short' },
      caBundle:
        'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM1ekNDQWMrZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFW',
    },
    aws: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
    secrets: { db: { url: 'postgres://app@db:5432/app' } },
    enabled: true,
    replicas: 2,
  };
}

describe('redactValues', () => {
  it('redacts secret keys and secret-looking values, keeping what migration needs', () => {
    const redacted = redactValues(values());
    expect(redacted.grafana.adminPassword).toBe(REDACTED);
    expect(redacted.registry.auth.token).toBe(REDACTED);
    expect(redacted.webhook.tls.key).toBe(REDACTED); // PEM body under a bare `key`
    expect(redacted.webhook.caBundle).toBe(REDACTED); // long base64 blob
    expect(redacted.aws.accessKeyId).toBe(REDACTED);
    expect(redacted.aws.secretAccessKey).toBe(REDACTED);
    expect(redacted.secrets.db.url).toBe(REDACTED); // everything under a `secrets` map
    // Not secrets: ARNs, buckets, image refs, selector keys, references to secrets, flags, numbers.
    expect(redacted.executionRoleArn).toBe(values().executionRoleArn);
    expect(redacted.tlsCertificateS3Bucket).toBe('s3://hyperpod-tls-111122223333');
    expect(redacted.hyperpodClusterArn).toBe(values().hyperpodClusterArn);
    expect(redacted.image).toEqual(values().image);
    expect(redacted.affinity).toEqual(values().affinity);
    expect(redacted.grafana.admin.existingSecretName).toBe('grafana-admin');
    expect(redacted.registry.auth.username).toBe('robot');
    expect(redacted.webhook.tls.crt).toBe('short');
    expect(redacted.enabled).toBe(true);
    expect(redacted.replicas).toBe(2);
  });

  it('never mutates its input and returns a deep copy', () => {
    const input = values();
    const before = JSON.stringify(input);
    const out = redactValues(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(out.affinity).not.toBe(input.affinity);
    const copy = redactValues(input, { redact: false });
    expect(copy).toEqual(input);
    expect(copy.grafana).not.toBe(input.grafana);
  });

  it('honours a placeholder, extra secret keys and kept paths', () => {
    const out = redactValues(values(), {
      placeholder: '***',
      extraSecretKeys: [/^hyperpodClusterArn$/],
      keepPaths: ['grafana.adminPassword'],
    });
    expect(out.hyperpodClusterArn).toBe('***');
    expect(out.grafana.adminPassword).toBe('hunter2');
    expect(out.registry.auth.token).toBe('***');
  });

  it('lists the redacted paths', () => {
    expect(sensitiveValuePaths(values()).sort()).toEqual([
      'aws.accessKeyId',
      'aws.secretAccessKey',
      'grafana.adminPassword',
      'registry.auth.token',
      'secrets.db.url',
      'webhook.caBundle',
      'webhook.tls.key',
    ]);
  });

  it.each([
    ['password', true],
    ['db-password', true],
    ['apiKey', true],
    ['privateKey', true],
    ['client_secret', true],
    ['authToken', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['credentials', true],
    ['key', false],
    ['monkey', false],
    ['tokenizer', false],
    ['passwordSecretName', false],
    ['credentialsArn', false],
    ['roleArn', false],
    ['tlsCertificateS3Bucket', false],
  ])('isSecretKey(%s) is %s', (key, expected) => {
    expect(isSecretKey(key)).toBe(expected);
  });
});

describe('redaction on the corpus of secret shapes', () => {
  it('has at least 50 secret shapes and 50 readable values', () => {
    expect(SECRET_CASES.length).toBeGreaterThanOrEqual(50);
    expect(READABLE_VALUES.length).toBeGreaterThanOrEqual(50);
  });

  it.each(SECRET_CASES.map((c) => [c.name, c] as const))('hides %s', (_name, c) => {
    for (const out of [
      redactText(c.value),
      // As a configuration value under a harmless key, alone and inside a list.
      (redactValues({ env: { value: c.value } }) as { env: { value: string } }).env.value,
      (redactValues({ args: ['--x', c.value] }) as { args: string[] }).args[1]!,
    ]) {
      expect(out).not.toContain(c.secret);
      expect(out).toContain(REDACTED);
      for (const k of c.kept ?? []) expect(out).toContain(k);
    }
  });

  it.each(READABLE_VALUES)('keeps %s readable', (value) => {
    expect(redactText(value)).toBe(value);
    expect(redactValues({ some: { field: [value] } })).toEqual({ some: { field: [value] } });
  });

  it('names the paths of partly redacted values too', () => {
    const values = { db: { url: 'postgres://u:sup3r-s3cret@db/x' }, region: 'us-east-1' };
    expect(sensitiveValuePaths(values)).toEqual(['db.url']);
  });
});
