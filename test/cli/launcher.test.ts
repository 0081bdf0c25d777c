/**
 * The launcher (cli/src/launcher.ts): its Node.js version check (nodeTooOld), which stands in for
 * oclif's (that one checks @oclif/core's own engines, and loads semver on every start to do it),
 * and which runs share a code cache (cacheVariant).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cacheVariant, nodeTooOld } from 'kubectl-hyperpod/testing';
import { ROOT, cleanEnv, runCli } from './support/runCli';

const engines = (
  JSON.parse(readFileSync(path.join(ROOT, 'cli', 'package.json'), 'utf8')) as {
    engines: { node: string };
  }
).engines.node;

describe('nodeTooOld', () => {
  it('reads the CLI package’s own engines range', () => {
    expect(engines).toMatch(/^>=\d+(\.\d+){0,2}$/);
    expect(nodeTooOld('18.20.4', engines)).toContain('kubectl-hyperpod needs Node.js >=');
    // Node 20 reached end of life on 2026-04-30: the CLI says so (docs/adr/0001-toolchain.md).
    expect(nodeTooOld('20.20.2', engines)).toContain('this is 20.20.2');
    expect(nodeTooOld('22.19.0', engines)).toBeUndefined();
    expect(nodeTooOld('24.0.0', engines)).toBeUndefined();
    expect(nodeTooOld(process.versions.node, engines)).toBeUndefined();
  });

  it('compares major, minor and patch as numbers', () => {
    expect(nodeTooOld('20.19.0', '>=20.19')).toBeUndefined();
    expect(nodeTooOld('20.20.2', '>=20.19')).toBeUndefined();
    expect(nodeTooOld('22.1.0', '>=20.19')).toBeUndefined();
    expect(nodeTooOld('20.9.0', '>=20.19')).toBe(
      'kubectl-hyperpod needs Node.js >=20.19; this is 20.9.0 (try: install Node.js 20.19 or newer)',
    );
    expect(nodeTooOld('20.19.1', '>=20.19.2')).toContain('this is 20.19.1');
    expect(nodeTooOld('19.99.99', '>= 20')).toContain('install Node.js 20 or newer');
  });

  it('says nothing about a range of another form', () => {
    expect(nodeTooOld('18.0.0', '^20.19 || >=22')).toBeUndefined();
    expect(nodeTooOld('18.0.0', undefined)).toBeUndefined();
  });

  it('prints no warning on this Node.js, and oclif prints none of its own', async () => {
    const r = await runCli(['--version'], cleanEnv());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('cacheVariant', () => {
  const cli = '/x/dist/bundle/cli.cjs';
  const oclif = '/x/dist/bundle/oclif.cjs';
  it('gives cli.cjs one code cache per command topic', () => {
    expect(cacheVariant(cli, ['status', '-A'])).toBe('status');
    expect(cacheVariant(cli, ['migrate', 'plan', '--context', 'x'])).toBe('migrate');
    expect(cacheVariant(cli, ['addons', 'versions', 'vpc-cni'])).toBe('addons');
    expect(cacheVariant(cli, ['../../etc'])).toBe('other');
    expect(cacheVariant(cli, [])).toBe('other');
  });

  it('gives oclif.cjs one for help and one for running a command', () => {
    expect(cacheVariant(oclif, [])).toBe('help');
    expect(cacheVariant(oclif, ['--help'])).toBe('help');
    expect(cacheVariant(oclif, ['--version'])).toBe('help');
    expect(cacheVariant(oclif, ['status', '-h'])).toBe('help');
    expect(cacheVariant(oclif, ['status', '-o', 'json'])).toBe('run');
  });
});
