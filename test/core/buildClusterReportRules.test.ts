/**
 * buildClusterReport's rules one at a time: both installs, failed Helm releases, redaction,
 * dependency versions, scan errors.
 */
import { buildClusterReport } from '@hyperpod/core';
import { inferenceOperatorReleaseSeed } from '@hyperpod/sandbox';
import {
  defaultVersion,
  INFERENCE,
  PROD,
  cluster,
  eksAddon,
  coreAddons,
  observation,
  helmRelease,
  valuesFor,
  byName,
} from './clusterObservation';

describe('buildClusterReport rules', () => {
  const c = cluster('ml-x', PROD, 'us-east-1', '1.31');

  it('marks a component on both Helm and the add-on as `both` and Degraded', () => {
    const { release, objects } = helmRelease(
      inferenceOperatorReleaseSeed({ revisions: [{ status: 'deployed', values: valuesFor(c) }] }),
    );
    const r = buildClusterReport(
      observation(c, {
        addons: [...coreAddons(c), eksAddon(c, INFERENCE, defaultVersion(INFERENCE, '1.31'))],
        helm: [release],
        objects,
      }),
    );
    expect(byName(r, INFERENCE)).toMatchObject({
      installedVia: 'both',
      health: 'Degraded',
      migrationCandidate: false,
    });
  });

  it('maps a failed Helm release to Degraded with helm history / rollback', () => {
    const { release, objects } = helmRelease(
      inferenceOperatorReleaseSeed({
        revisions: [
          { status: 'deployed', values: valuesFor(c) },
          { status: 'failed', values: valuesFor(c) },
        ],
      }),
    );
    const op = byName(
      buildClusterReport(observation(c, { addons: coreAddons(c), helm: [release], objects })),
      INFERENCE,
    );
    expect(op.health).toBe('Degraded');
    expect(op.findings.find((f) => f.code === 'helm-failed')?.fix).toContain(
      'helm history hyperpod-inference-operator -n kube-system',
    );
  });

  it('redacts secrets in configurationValues', () => {
    const addons = [
      eksAddon(c, 'coredns', defaultVersion('coredns', '1.31'), {
        configurationValues: JSON.stringify({ replicaCount: 2, auth: { token: 'abc' } }),
      }),
    ];
    const dns = byName(buildClusterReport(observation(c, { addons })), 'coredns');
    expect(dns.addon?.configurationValues).toEqual({
      replicaCount: 2,
      auth: { token: '<redacted>' },
    });
  });

  it('flags a dependency add-on older than the inference add-on requires', () => {
    const addons = [
      eksAddon(c, 'cert-manager', 'v1.17.2-eksbuild.1'),
      eksAddon(c, INFERENCE, defaultVersion(INFERENCE, '1.31')),
    ];
    const op = byName(buildClusterReport(observation(c, { addons })), INFERENCE);
    expect(op.findings).toContainEqual(
      expect.objectContaining({ code: 'dependency-too-old', health: 'Degraded' }),
    );
  });

  it('turns any scan error into an Unknown cluster even when the cluster was described', () => {
    const obs = observation(c, { addons: coreAddons(c) });
    obs.errors.push({
      kind: 'AccessDenied',
      message: 'forbidden',
      service: 'kubernetes',
      operation: 'list',
      step: 'list CRDs',
    });
    expect(buildClusterReport(obs).health).toBe('Unknown');
  });
});
