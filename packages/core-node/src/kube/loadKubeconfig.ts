/**
 * Reads a kubeconfig as kubectl does (`--kubeconfig`, else every path of $KUBECONFIG merged, else
 * ~/.kube/config) and selects a context (`--context`, else current-context), failing with a
 * KubeconfigError that says which file and which contexts exist.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { KubeconfigError } from './KubeconfigError';

export interface LoadKubeconfigOptions {
  /** An explicit file (`--kubeconfig`); it must exist. */
  kubeconfig?: string;
  /** The context to use (`--context`); default the file's current-context. */
  context?: string;
  /** For tests: the environment to read KUBECONFIG and HOME from. */
  env?: Record<string, string | undefined>;
}

export interface KubeContextInfo {
  name: string;
  /** Name of the cluster entry (an ARN for `aws eks update-kubeconfig` entries). */
  cluster: string;
  user: string;
  namespace?: string;
  /** API server URL of the context's cluster entry. */
  server?: string;
}

export interface LoadedKubeconfig {
  /** client-node's KubeConfig with `currentContext` set to the selected context. */
  kubeConfig: KubeConfig;
  paths: string[];
  contexts: KubeContextInfo[];
  /** The selected context: the requested one, else the file's current-context. */
  currentContext: string;
}

export async function loadKubeconfig(opts: LoadKubeconfigOptions = {}): Promise<LoadedKubeconfig> {
  const env = opts.env ?? process.env;
  const paths = kubeconfigPaths(opts.kubeconfig, env);
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length === 0 || (opts.kubeconfig !== undefined && !existsSync(paths[0]!))) {
    const where = paths.length === 1 ? paths[0]! : paths.join(path.delimiter);
    throw new KubeconfigError('FileMissing', `kubeconfig ${where} does not exist`, paths);
  }
  for (const file of existing) {
    if (!statSync(file).isFile()) {
      throw new KubeconfigError('NotAFile', `kubeconfig ${file} is a directory, not a file`, [
        file,
      ]);
    }
  }
  const { KubeConfig } = await import('@kubernetes/client-node');
  let merged: KubeConfig | undefined;
  for (const file of existing) {
    // client-node reads any shape and fails inside (or not at all) on a wrong one: check the
    // structure first, so a wrong document gets a message about the document.
    await checkYaml(file);
    const kc = new KubeConfig();
    // client-node parses the file; only when it fails, or finds nothing in it, is the file parsed
    // again for a precise message (the yaml package says which line is wrong).
    try {
      kc.loadFromFile(file);
    } catch (e) {
      throw new KubeconfigError(
        'Malformed',
        `kubeconfig ${file} is not a valid kubeconfig: ${(e as Error).message}`,
        existing,
      );
    }
    if (!merged) merged = kc;
    // Like kubectl: the first file to set a value wins (client-node's merge keeps the first's
    // current-context when asked to preserve it).
    else merged.mergeConfig(kc, true);
  }
  const kubeConfig = merged!;
  const contexts = kubeConfig.getContexts().map((c) => contextInfo(kubeConfig, c));
  const names = contexts.map((c) => c.name);
  const selected = opts.context ?? kubeConfig.getCurrentContext();
  if (!selected) {
    throw new KubeconfigError(
      'NoCurrentContext',
      names.length
        ? `kubeconfig ${existing.join(path.delimiter)} has no current-context; pick one of: ${names.join(', ')}`
        : `kubeconfig ${existing.join(path.delimiter)} has no contexts`,
      existing,
      names,
    );
  }
  if (!names.includes(selected)) {
    throw new KubeconfigError(
      'UnknownContext',
      `context "${selected}" is not in kubeconfig ${existing.join(path.delimiter)}${names.length ? `; known contexts: ${names.join(', ')}` : ' (it has no contexts)'}`,
      existing,
      names,
      selected,
    );
  }
  kubeConfig.setCurrentContext(selected);
  return { kubeConfig, paths: existing, contexts, currentContext: selected };
}

/** `--kubeconfig`, else $KUBECONFIG's list, else ~/.kube/config. */
export function kubeconfigPaths(
  explicit: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string[] {
  if (explicit) return [path.resolve(explicit)];
  const fromEnv = (env['KUBECONFIG'] ?? '')
    .split(path.delimiter)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (fromEnv.length) return [...new Set(fromEnv.map((p) => path.resolve(p)))];
  return [path.join(env['HOME'] ?? homedir(), '.kube', 'config')];
}

/**
 * Throws the precise KubeconfigError for a file that is empty, not YAML, or not shaped like a
 * kubeconfig (what client-node would otherwise trip over inside).
 */
async function checkYaml(file: string): Promise<void> {
  const { parseDocument } = await import('yaml');
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text);
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    throw new KubeconfigError(
      'Malformed',
      `kubeconfig ${file} is not valid YAML${line ? ` (line ${line})` : ''}: ${err.message.split('\n')[0]}`,
      [file],
    );
  }
  let value: unknown;
  try {
    // An alias to no anchor (`*x`) parses, and fails only here.
    value = doc.toJS();
  } catch (e) {
    throw new KubeconfigError(
      'Malformed',
      `kubeconfig ${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
      [file],
    );
  }
  if (value === null || value === undefined) {
    throw new KubeconfigError(
      'Empty',
      `kubeconfig ${file} is empty (no clusters, users or contexts)`,
      [file],
    );
  }
  const problem = kubeconfigShapeProblem(value);
  if (problem) {
    throw new KubeconfigError('Malformed', `kubeconfig ${file} is not a kubeconfig: ${problem}`, [
      file,
    ]);
  }
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The first way `value` is not shaped like a kubeconfig (kubectl's `Config`: lists of named
 * entries, each holding a mapping), or undefined. Values inside the entries are client-node's
 * to judge.
 */
export function kubeconfigShapeProblem(value: unknown): string | undefined {
  if (!isMapping(value)) return 'expected a mapping with clusters, users and contexts';
  const current = value['current-context'];
  if (current !== undefined && current !== null && typeof current !== 'string')
    return 'current-context must be a context name';
  for (const [key, inner] of [
    ['clusters', 'cluster'],
    ['users', 'user'],
    ['contexts', 'context'],
  ] as const) {
    const list = value[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return `${key} must be a list`;
    for (const [i, entry] of list.entries()) {
      if (!isMapping(entry)) return `${key}[${i}] must be a mapping with name and ${inner}`;
      if (typeof entry['name'] !== 'string' || entry['name'] === '')
        return `${key}[${i}].name must be a non-empty string`;
      const body = entry[inner];
      if (body !== undefined && body !== null && !isMapping(body))
        return `${key}[${i}].${inner} must be a mapping`;
    }
  }
  return undefined;
}

function contextInfo(
  kc: KubeConfig,
  c: { name: string; cluster: string; user: string; namespace?: string },
): KubeContextInfo {
  const server = kc.getCluster(c.cluster)?.server;
  return {
    name: c.name,
    cluster: c.cluster,
    user: c.user,
    ...(c.namespace ? { namespace: c.namespace } : {}),
    ...(server ? { server } : {}),
  };
}
