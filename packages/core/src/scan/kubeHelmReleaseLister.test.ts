/**
 * kubeHelmReleaseLister: the newest revision of each Helm 3 release, read from the cluster's
 * release Secrets without transferring the superseded history.
 */
import { encodeHelmReleaseSecret } from '../helm/helmReleaseCodec';
import { GO_ZERO_TIME, type HelmReleaseStatus } from '../helm/HelmRelease';
import type { KubeListOptions, KubeObject } from '../ports/KubeGateway';
import { InMemoryKubeGateway } from '../testing/InMemoryKubeGateway';
import { HELM_RELEASE_SECRETS_SELECTOR, kubeHelmReleaseLister } from './observeCluster';
import type { ScanError } from '../report/ClusterReport';

const revision = (name: string, version: number, status: HelmReleaseStatus): KubeObject =>
  encodeHelmReleaseSecret({
    name,
    namespace: 'apps',
    version,
    info: {
      status,
      first_deployed: GO_ZERO_TIME,
      last_deployed: GO_ZERO_TIME,
      deleted: GO_ZERO_TIME,
    },
    chart: {
      metadata: { name, version: `1.${version}.0` },
      lock: null,
      templates: null,
      values: null,
      schema: null,
      files: null,
    },
    config: {},
    manifest: '',
  }) as unknown as KubeObject;

describe('kubeHelmReleaseLister', () => {
  const kube = new InMemoryKubeGateway({
    objects: [
      // Upgraded twice: the history is superseded.
      revision('web', 1, 'superseded'),
      revision('web', 2, 'superseded'),
      revision('web', 3, 'deployed'),
      // A failed upgrade: the previous revision stays deployed, the newest is the failed one.
      revision('api', 1, 'deployed'),
      revision('api', 2, 'failed'),
      // Stuck in an upgrade, and uninstalled with --keep-history.
      revision('jobs', 4, 'superseded'),
      revision('jobs', 5, 'pending-upgrade'),
      revision('old', 1, 'superseded'),
      revision('old', 2, 'uninstalled'),
    ],
  });
  const asked: KubeListOptions[] = [];
  const returned: KubeObject[] = [];
  const spy = Object.create(kube) as InMemoryKubeGateway;
  spy.list = async (apiVersion, kind, opts) => {
    asked.push(opts ?? {});
    const items = await kube.list(apiVersion, kind, opts);
    returned.push(...items);
    return items;
  };

  const errors: ScanError[] = [];
  let releases: Awaited<ReturnType<ReturnType<typeof kubeHelmReleaseLister>['listLatestReleases']>>;
  beforeAll(async () => {
    releases = await kubeHelmReleaseLister(spy, (e) => errors.push(e)).listLatestReleases();
  });

  it('reads the newest revision of every release, whatever its status', () => {
    expect(errors).toEqual([]);
    expect(releases.map((r) => `${r.name} ${r.revision} ${r.status}`).sort()).toEqual([
      'api 2 failed',
      'jobs 5 pending-upgrade',
      'old 2 uninstalled',
      'web 3 deployed',
    ]);
  });

  it('asks the API server for release Secrets that are not superseded: the history stays there', () => {
    expect(asked).toEqual([{ labelSelector: HELM_RELEASE_SECRETS_SELECTOR }]);
    expect(returned.map((s) => s.metadata.labels?.['status'])).not.toContain('superseded');
    expect(returned).toHaveLength(5);
  });
});
