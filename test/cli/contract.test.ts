import { createHash } from 'node:crypto';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  CommandLine,
  CliError,
  EXIT_CODES,
  ExitCode,
  exitCodeHelp,
  worstExitCode,
  tripsDegraded,
  tripsDrift,
  krewManifest,
  krewMain,
  AWS_REGIONS,
  parseDuration,
  validateAddonName,
  InvalidClusterNameError,
  validateClusterName,
  validateRegion,
} from 'kubectl-hyperpod/testing';
import { batchReport, prodReport, unreachableReport } from './fixtures/reports';

const root = path.join(__dirname, '..', '..');

describe('exit codes', () => {
  it('are the documented table: 0 ok, 1 unexpected, 2 usage, 3 config, 4 access, 5 fail-on degraded, 6 fail-on drift, 7 migration blocked, 8 migration failed, 9 upgrade refused, 10 upgrade rolled back, 11 upgrade failed, 12 request conflict', () => {
    expect(EXIT_CODES.map((e) => [e.code, e.name])).toEqual([
      [0, 'ok'],
      [1, 'unexpected'],
      [2, 'usage'],
      [3, 'config'],
      [4, 'access'],
      [5, 'fail-on-degraded'],
      [6, 'fail-on-drift'],
      [7, 'migration-blocked'],
      [8, 'migration-failed'],
      [9, 'upgrade-refused'],
      [10, 'upgrade-rolled-back'],
      [11, 'upgrade-failed'],
      [12, 'request-conflict'],
    ]);
  });

  it('are listed in --help text and in docs/cli.md with the same meanings', () => {
    const help = exitCodeHelp();
    const docs = readFileSync(path.join(root, 'docs', 'cli.md'), 'utf8');
    for (const e of EXIT_CODES) {
      expect(help).toContain(`  ${e.code}  ${e.meaning}`);
      expect(docs).toContain(`| ${e.code} | ${e.meaning} |`);
    }
  });

  it('let an incomplete scan (3, 4) win over a CI gate (5, 6)', () => {
    expect(worstExitCode([])).toBe(ExitCode.Ok);
    expect(worstExitCode([ExitCode.Drift, ExitCode.Degraded])).toBe(ExitCode.Degraded);
    expect(worstExitCode([ExitCode.Degraded, ExitCode.Access])).toBe(ExitCode.Access);
    expect(worstExitCode([ExitCode.Access, ExitCode.Config])).toBe(ExitCode.Config);
  });

  it('errors render as one error line and one try line', () => {
    expect(
      new CliError(
        3,
        'context "prod" not found',
        'kubectl hyperpod status --context ml-prod-use1',
      ).render(),
    ).toBe(
      'error: context "prod" not found\ntry: kubectl hyperpod status --context ml-prod-use1\n',
    );
  });
});

describe('--fail-on gates', () => {
  it('degraded trips on Degraded, Missing or Unknown, not on Healthy', () => {
    expect(tripsDegraded([prodReport])).toBe(false);
    expect(tripsDegraded([prodReport, batchReport])).toBe(true);
    expect(tripsDegraded([unreachableReport])).toBe(true);
    expect(tripsDegraded([{ ...prodReport, health: 'Progressing' }])).toBe(false);
  });

  it('drift trips on an add-on behind its default or not ready for the next Kubernetes version', () => {
    expect(tripsDrift([batchReport])).toBe(true);
    expect(tripsDrift([prodReport])).toBe(true); // the inference add-on must move before 1.32
    const ready = { ...prodReport, readiness: { targetVersion: '1.32', ready: true, addons: [] } };
    expect(tripsDrift([ready])).toBe(false);
  });

  it('drift does not trip on NEXT-K8S after (kube-proxy follows the control plane), nor on behind-latest', () => {
    const after = {
      ...prodReport,
      addons: prodReport.addons.map((a) => ({
        ...a,
        drift: a.drift && { ...a.drift, status: 'behind-latest' as const },
      })),
      readiness: {
        targetVersion: '1.32',
        ready: true,
        addons: [
          {
            addonName: 'kube-proxy',
            installed: 'v1.31.5-eksbuild.2',
            verdict: 'upgrade-after' as const,
            requiredVersion: 'v1.32.2-eksbuild.2',
          },
        ],
      },
    };
    expect(tripsDrift([after])).toBe(false);
  });
});

describe('corrected command lines', () => {
  const cl = new CommandLine('status', ['--context', 'prod', '-o', 'wide', '--region=us-east-9']);

  it('replace a flag value in every spelling, keeping the rest', () => {
    expect(cl.with({ context: 'ml-prod-use1' })).toBe(
      'kubectl hyperpod status -o wide --region=us-east-9 --context ml-prod-use1',
    );
    expect(cl.with({ region: 'us-east-1' })).toBe(
      'kubectl hyperpod status --context prod -o wide --region us-east-1',
    );
    expect(cl.with({ output: undefined, context: undefined, region: undefined })).toBe(
      'kubectl hyperpod status',
    );
  });

  it('render topics with spaces and quote what the shell would split', () => {
    expect(new CommandLine('addons:versions', ['my addon']).toString()).toBe(
      "kubectl hyperpod addons versions 'my addon'",
    );
  });
});

describe('name and flag validation', () => {
  const fix = (v: string) => `kubectl hyperpod status --region ${v}`;
  const thrown = (fn: () => void): CliError => {
    try {
      fn();
    } catch (e) {
      return e as CliError;
    }
    throw new Error('did not throw');
  };

  it('accepts real regions and refuses others with the nearest one as the fix (exit 3)', () => {
    expect(AWS_REGIONS).toEqual(
      expect.arrayContaining([
        'us-east-1',
        'us-west-2',
        'eu-central-1',
        'ap-southeast-5',
        'us-gov-west-1',
      ]),
    );
    expect(() => validateRegion('us-west-2', fix)).not.toThrow();
    const e = thrown(() => validateRegion('us-east-9', fix));
    expect(e.exitCode).toBe(ExitCode.Config);
    expect(e.message).toBe('region "us-east-9" is not an AWS region');
    expect(e.fix).toMatch(/^kubectl hyperpod status --region us-east-\d$/);
    expect(thrown(() => validateRegion('eu-frankfurt', fix)).fix).toMatch(/--region \S+$/);
  });

  it('checks EKS cluster names against the CreateCluster pattern', () => {
    for (const ok of ['ml-prod-use1', 'A_1', '9x', 'a'.repeat(100)])
      expect(() => validateClusterName(ok, String)).not.toThrow();
    for (const bad of ['-lead', 'has space', 'a'.repeat(101), 'dot.ted', '']) {
      const e = thrown(() =>
        validateClusterName(bad, (v) => `kubectl hyperpod status --cluster ${v}`),
      );
      expect(e.exitCode).toBe(ExitCode.Config);
    }
    // The fix is the nearest cluster the user has, never the bad input "cleaned".
    const e = thrown(() =>
      validateClusterName('ml-rm -rf /tmp', (v) => `kubectl hyperpod status --cluster ${v}`),
    ) as InvalidClusterNameError;
    expect(e).toBeInstanceOf(InvalidClusterNameError);
    const known = e.withKnown(['ml-dev-use1', 'ml-prod-use1']);
    expect(known.exitCode).toBe(ExitCode.Config);
    expect(known.message).toMatch(/\(known: ml-dev-use1, ml-prod-use1\)$/);
    expect(known.fix).toMatch(/^kubectl hyperpod status --cluster ml-(dev|prod)-use1$/);
    expect(e.withKnown([]).fix).toBe('aws eks list-clusters');
  });

  it('checks add-on names', () => {
    expect(() => validateAddonName('amazon-sagemaker-hyperpod-inference', String)).not.toThrow();
    expect(() => validateAddonName('kubecost_kubecost', String)).not.toThrow();
    expect(
      thrown(() => validateAddonName('VPC CNI', (v) => `kubectl hyperpod addons versions ${v}`))
        .fix,
    ).toBe('kubectl hyperpod addons versions vpc-cni');
  });

  it('parses kubectl-style durations and refuses nonsense as a usage error (exit 2)', () => {
    expect(parseDuration('30s', String)).toBe(30_000);
    expect(parseDuration('1m30s', String)).toBe(90_000);
    expect(parseDuration('500ms', String)).toBe(500);
    expect(parseDuration('45', String)).toBe(45_000);
    const e = thrown(() => parseDuration('soon', (v) => `kubectl hyperpod status --timeout ${v}`));
    expect(e.exitCode).toBe(ExitCode.Usage);
    expect(e.fix).toBe('kubectl hyperpod status --timeout 30s');
  });

  it('refuses a zero or negative duration (exit 2), with a try: line that is itself valid', () => {
    const cl = new CommandLine('status', ['--context', 'ml-prod-use1', '--timeout', '-5']);
    for (const bad of ['0', '0s', '0ms', '0.0', '-5', '-1m', '- 5']) {
      const e = thrown(() => parseDuration(bad, (v) => cl.with({ timeout: v })));
      expect(e.exitCode).toBe(ExitCode.Usage);
      expect(e.message).toMatch(/must be more than zero/);
      expect(e.fix).toBe('kubectl hyperpod status --context ml-prod-use1 --timeout 30s');
    }
    expect(parseDuration('0.5', String)).toBe(500);
    expect(parseDuration('10ms', String)).toBe(10);
  });
});

describe('krew manifest', () => {
  it('describes the plugin for linux and darwin on amd64 and arm64, pinned to the tarball', () => {
    const doc = parse(
      krewManifest({
        version: '0.1.0',
        homepage: 'https://example.com/kubectl-hyperpod',
        uri: 'https://example.com/r/kubectl-hyperpod-0.1.0.tgz',
        sha256: 'ab'.repeat(32),
      }),
    );
    expect(doc.apiVersion).toBe('krew.googlecontainertools.github.com/v1alpha2');
    expect(doc.kind).toBe('Plugin');
    expect(doc.metadata.name).toBe('hyperpod');
    expect(doc.spec.version).toBe('v0.1.0');
    expect(doc.spec.shortDescription.length).toBeLessThanOrEqual(60);
    expect(doc.spec.description).toContain('kubectl hyperpod status');
    expect(
      doc.spec.platforms.map(
        (p: { selector: { matchLabels: { os: string; arch: string } } }) =>
          `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`,
      ),
    ).toEqual(['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64']);
    for (const p of doc.spec.platforms) {
      expect(p).toMatchObject({
        uri: 'https://example.com/r/kubectl-hyperpod-0.1.0.tgz',
        sha256: 'ab'.repeat(32),
        bin: 'kubectl-hyperpod',
      });
    }
  });

  it('writes dist/krew/hyperpod.yaml with the version of package.json and the sha256 of the given tarball', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'krew-'));
    const tarball = path.join(dir, 'kubectl-hyperpod-0.1.0.tgz');
    writeFileSync(tarball, 'not really a tarball');
    const out = krewMain(
      [
        tarball,
        '--base-url',
        'https://dl.example.com/v0.1.0/',
        '--out',
        path.join(dir, 'plugins', 'hyperpod.yaml'),
      ],
      path.join(root, 'cli'),
    );
    const doc = parse(readFileSync(out, 'utf8'));
    const pkg = JSON.parse(readFileSync(path.join(root, 'cli', 'package.json'), 'utf8'));
    expect(doc.spec.version).toBe(`v${pkg.version}`);
    expect(doc.spec.platforms[0].uri).toBe(
      'https://dl.example.com/v0.1.0/kubectl-hyperpod-0.1.0.tgz',
    );
    expect(doc.spec.platforms[0].sha256).toBe(
      createHash('sha256').update('not really a tarball').digest('hex'),
    );
  });
});
