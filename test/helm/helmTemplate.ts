/** Runs real `helm template` on the fixture charts and parses its output, for comparing with our renderers. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { helmPath } from '../support/tools';

export const CHARTS = resolve(__dirname, '../fixtures/charts');

/**
 * The inference operator chart's load balancer controller dependency as helm stores it: under its
 * alias (Chart.lock keeps the chart's name).
 */
export const ALB_DEPENDENCY = {
  name: 'alb',
  chartName: 'aws-load-balancer-controller',
  version: '1.13.2',
  repository: 'https://aws.github.io/eks-charts',
  alias: 'alb',
  condition: 'alb.enabled',
  enabled: true,
};

/** HELM_* homes in a fresh temp dir so no user configuration or cache leaks in. */
export function helmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'helm-home-'));
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    ...extra,
  };
}

export interface HelmDoc {
  source: string;
  object: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
  } & Record<string, unknown>;
}

/** Splits helm's rendered output into `# Source:`-tagged objects, in helm's order. */
export function parseRendered(manifest: string): HelmDoc[] {
  return manifest
    .split(/^---\s*$/m)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .map((chunk) => {
      const source = /^# Source: (.+)$/m.exec(chunk)?.[1] ?? '';
      return { source, object: parse(chunk) as HelmDoc['object'] };
    })
    .filter((d) => d.object);
}

export function helmTemplate(args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const result = spawnSync(helmPath(), ['template', ...args], {
    env: helmEnv(),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `--set` pairs from a nested values object (`a.b=c`), using --set-string-safe escaping of commas. */
export function setFlags(values: Record<string, unknown>, prefix = ''): string[] {
  const flags: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = `${prefix}${key.replace(/\./g, '\\.')}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      flags.push(...setFlags(value as Record<string, unknown>, `${path}.`));
    else flags.push('--set', `${path}=${String(value).replace(/,/g, '\\,')}`);
  }
  return flags;
}
