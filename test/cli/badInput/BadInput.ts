/**
 * What a bad-input case is, and the helpers the case files share: the command line, the
 * environment it runs in, the exit code from the documented table and the first line on stderr.
 */
import type { Sandbox } from '@hyperpod/sandbox';
import type { SandboxFleet } from '../support/sandboxFleet';
import type { BadFiles } from './fixtures';

export interface Ctx {
  sb: Sandbox;
  fleet: SandboxFleet;
  files: BadFiles;
}

export interface BadInput {
  /** What is wrong, for the test name. */
  input: string;
  args: (c: Ctx) => string[];
  env?: (c: Ctx) => Record<string, string>;
  code: number;
  /** The first line of stderr. */
  first: RegExp | ((c: Ctx) => RegExp);
  /** The `try:` line, when the case pins it. */
  fix?: RegExp | ((c: Ctx) => RegExp);
}

export const R = 'ml-research-usw2';
export const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const at =
  (...args: string[]) =>
  () =>
    args;
export const withEnv =
  (extra: (c: Ctx) => Record<string, string | undefined>) =>
  (c: Ctx): Record<string, string> => {
    const env = { ...c.fleet.env };
    for (const [k, v] of Object.entries(extra(c))) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  };

export const file = (name: string) => (c: Ctx) => c.files.file(name);
export const kc =
  (name: string, ...args: string[]) =>
  (c: Ctx) => ['status', ...args, '--kubeconfig', file(name)(c)];
export const f =
  (name: string, ...args: string[]) =>
  (c: Ctx) => ['status', '-f', file(name)(c), ...args];
