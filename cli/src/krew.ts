/**
 * The krew plugin manifest (`dist/krew/hyperpod.yaml`) for a release: `krew install hyperpod` then
 * gives `kubectl hyperpod`. The CLI is plain Node, so one release tarball serves every platform;
 * krew still wants one entry per platform, each with the tarball's URL and sha256.
 *
 *   node cli/dist/krew.js <release archive> [--base-url URL | --uri URL] [--out dist/krew/hyperpod.yaml]
 *
 * The archive must be the krew one from `node scripts/pack-krew.mjs` (launcher at its root, the
 * installed package beside it): krew only unpacks and links, it never runs `npm install`, so the
 * npm tarball of `pack:cli` cannot serve here.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export const KREW_PLATFORMS = [
  { os: 'linux', arch: 'amd64' },
  { os: 'linux', arch: 'arm64' },
  { os: 'darwin', arch: 'amd64' },
  { os: 'darwin', arch: 'arm64' },
] as const;

export interface KrewManifestInput {
  version: string;
  homepage: string;
  /** Download URL of the release tarball. */
  uri: string;
  sha256: string;
}

export const KREW_SHORT_DESCRIPTION = 'EKS add-on health, drift and Helm-to-add-on migration';
export const KREW_DESCRIPTION = `Shows, for every Amazon EKS / SageMaker HyperPod cluster of your kubeconfig or a fleet file,
each EKS add-on's health and version drift against the default and newest versions for the
cluster's Kubernetes version, which add-ons block the next Kubernetes upgrade, and which Helm
installs (such as the HyperPod inference operator) have an EKS add-on to move to.

  kubectl hyperpod status -A
  kubectl hyperpod drift --fail-on drift
  kubectl hyperpod addons versions amazon-sagemaker-hyperpod-inference

Needs Node.js 22.19 or newer on PATH and AWS credentials for the clusters' accounts.`;

/** krew prints this after install: the archive carries JavaScript, not a Node.js runtime. */
export const KREW_CAVEATS = `This plugin runs on Node.js: it needs Node.js 22.19 or newer as \`node\` on PATH
(check with \`node --version\`). It reads AWS credentials the way the AWS CLI does and your
kubeconfig for in-cluster reads.`;

export function krewManifest(input: KrewManifestInput): string {
  const version = input.version.startsWith('v') ? input.version : `v${input.version}`;
  const manifest = {
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: 'hyperpod' },
    spec: {
      version,
      homepage: input.homepage,
      shortDescription: KREW_SHORT_DESCRIPTION,
      description: KREW_DESCRIPTION,
      caveats: KREW_CAVEATS,
      platforms: KREW_PLATFORMS.map((p) => ({
        selector: { matchLabels: { os: p.os, arch: p.arch } },
        uri: input.uri,
        sha256: input.sha256,
        bin: 'kubectl-hyperpod',
      })),
    },
  };
  return stringify(manifest, { lineWidth: 0 });
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

interface PackageJson {
  version: string;
  homepage?: string;
}

/**
 * `krew.js <archive> [--base-url URL | --uri URL] [--out FILE]`; returns the path written.
 * `--uri` is the archive's full download URL; `--base-url` the folder it will be in.
 */
export function main(argv: string[], cliRoot = path.join(__dirname, '..')): string {
  const args = [...argv];
  const take = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const [, value] = args.splice(i, 2);
    return value;
  };
  const pkg = JSON.parse(readFileSync(path.join(cliRoot, 'package.json'), 'utf8')) as PackageJson;
  const homepage = pkg.homepage ?? 'https://github.com/aws-samples/kubectl-hyperpod';
  const uri = take('--uri');
  const baseUrl = take('--base-url') ?? `${homepage}/releases/download/v${pkg.version}`;
  const out = take('--out') ?? path.join(cliRoot, '..', 'dist', 'krew', 'hyperpod.yaml');
  const tarball = args[0];
  if (!tarball)
    throw new Error('usage: krew.js <release archive> [--base-url URL | --uri URL] [--out FILE]');
  const text = krewManifest({
    version: pkg.version,
    homepage,
    uri: uri ?? `${baseUrl.replace(/\/$/, '')}/${path.basename(tarball)}`,
    sha256: sha256File(tarball),
  });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
  return out;
}

if (require.main === module) {
  try {
    process.stdout.write(`wrote ${main(process.argv.slice(2))}\n`);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
