/**
 * The Helm releases of a cluster, read as Helm 3 stores them (Secrets labelled owner=helm, type
 * helm.sh/release.v1) through any KubeGateway. Only the newest revision of each release is decoded
 * for a listing: revisions are told apart by their labels (or secret name), so a cluster with ten
 * revisions per release costs one decode per release. A secret that cannot be decoded is an entry
 * in `errors`; the rest of the listing stands.
 */
import type { KubeGateway, KubeObject } from '../ports/KubeGateway';
import type { HelmRelease } from './HelmRelease';
import { HELM_RELEASE_SECRET_TYPE } from './HelmRelease';
import {
  HelmReleaseDecodeError,
  decodeHelmReleaseSecret,
  type HelmReleaseDecodeFailure,
} from './helmReleaseCodec';
import { compareText } from '../text/compareText';

export interface HelmReleaseReadError {
  namespace: string;
  secretName: string;
  /** From the secret's labels or name, when they say. */
  releaseName?: string;
  revision?: number;
  reason: HelmReleaseDecodeFailure;
  message: string;
}

export interface HelmReleaseListing {
  /** Newest revision per release, sorted by namespace then name. */
  releases: HelmRelease[];
  errors: HelmReleaseReadError[];
}

export interface HelmReleaseHistory {
  /** Every readable revision, oldest first. */
  revisions: HelmRelease[];
  errors: HelmReleaseReadError[];
}

const SECRET_NAME = /^sh\.helm\.release\.v1\.(.+)\.v(\d+)$/;

interface Candidate {
  secret: KubeObject;
  namespace: string;
  name: string;
  revision: number;
}

export class HelmReleaseGateway {
  constructor(private readonly kube: KubeGateway) {}

  /** Releases in one namespace, or in all when `namespace` is undefined. */
  async list(opts: { namespace?: string } = {}): Promise<HelmReleaseListing> {
    const secrets = await this.kube.list('v1', 'Secret', {
      namespace: opts.namespace,
      labelSelector: 'owner=helm',
    });
    const newest = new Map<string, Candidate>();
    const errors: HelmReleaseReadError[] = [];
    for (const secret of secrets) {
      if (!isReleaseSecret(secret)) continue;
      const c = candidate(secret);
      if (!c) {
        errors.push(
          readError(
            secret,
            new HelmReleaseDecodeError(
              'InvalidRelease',
              'secret names no release and revision',
              secret.metadata.name,
            ),
          ),
        );
        continue;
      }
      const key = `${c.namespace}/${c.name}`;
      const seen = newest.get(key);
      if (!seen || c.revision > seen.revision) newest.set(key, c);
    }
    const releases: HelmRelease[] = [];
    for (const c of newest.values()) {
      const decoded = decode(c.secret);
      if ('release' in decoded) releases.push(decoded.release);
      else errors.push(decoded.error);
    }
    releases.sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name));
    return { releases, errors };
  }

  /** Every revision of one release. */
  async history(name: string, namespace: string): Promise<HelmReleaseHistory> {
    const secrets = await this.kube.list('v1', 'Secret', {
      namespace,
      labelSelector: `owner=helm,name=${name}`,
    });
    const revisions: HelmRelease[] = [];
    const errors: HelmReleaseReadError[] = [];
    for (const secret of secrets) {
      if (!isReleaseSecret(secret)) continue;
      const c = candidate(secret);
      if (c && c.name !== name) continue;
      const decoded = decode(secret);
      if ('release' in decoded) revisions.push(decoded.release);
      else errors.push(decoded.error);
    }
    revisions.sort((a, b) => a.revision - b.revision);
    return { revisions, errors };
  }

  /** The newest revision of one release; undefined when there is none (errors are thrown here). */
  async get(name: string, namespace: string): Promise<HelmRelease | undefined> {
    const { revisions, errors } = await this.history(name, namespace);
    const newestOk = revisions[revisions.length - 1];
    const newestBad = errors.reduce<HelmReleaseReadError | undefined>(
      (m, e) => ((e.revision ?? 0) > (m?.revision ?? 0) ? e : m),
      undefined,
    );
    if (newestBad && (!newestOk || (newestBad.revision ?? 0) > newestOk.revision)) {
      throw new HelmReleaseDecodeError(newestBad.reason, newestBad.message, newestBad.secretName);
    }
    return newestOk;
  }
}

function isReleaseSecret(s: KubeObject): boolean {
  // Helm's own Secrets only: other charts may label things owner=helm.
  const type = (s as { type?: unknown }).type;
  return type === undefined || type === HELM_RELEASE_SECRET_TYPE;
}

function candidate(secret: KubeObject): Candidate | undefined {
  const labels = secret.metadata.labels ?? {};
  const m = SECRET_NAME.exec(secret.metadata.name);
  const name = labels['name'] ?? m?.[1];
  const revision = Number(labels['version'] ?? m?.[2]);
  if (!name || !Number.isInteger(revision) || revision < 1) return undefined;
  return { secret, namespace: secret.metadata.namespace ?? '', name, revision };
}

function decode(secret: KubeObject): { release: HelmRelease } | { error: HelmReleaseReadError } {
  try {
    return {
      release: decodeHelmReleaseSecret(secret as Parameters<typeof decodeHelmReleaseSecret>[0]),
    };
  } catch (e) {
    return { error: readError(secret, e) };
  }
}

function readError(secret: KubeObject, e: unknown): HelmReleaseReadError {
  const c = candidate(secret);
  const reason: HelmReleaseDecodeFailure =
    e instanceof HelmReleaseDecodeError ? e.reason : 'InvalidRelease';
  return {
    namespace: secret.metadata.namespace ?? '',
    secretName: secret.metadata.name,
    ...(c ? { releaseName: c.name, revision: c.revision } : {}),
    reason,
    message: e instanceof Error ? e.message : String(e),
  };
}
