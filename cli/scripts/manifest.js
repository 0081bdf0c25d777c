#!/usr/bin/env node
// Writes oclif.manifest.json (every command's flags and help) so an installed CLI answers
// `--help` and picks a command without requiring every command module. Run after `tsc -b`;
// `npm pack` does it (prepack) and removes the file again (postpack) so development never
// reads a stale manifest.
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script, run by node after tsc */
const { rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

void (async () => {
  const { Config } = await import('@oclif/core');
  const root = join(__dirname, '..');
  const file = join(root, 'oclif.manifest.json');
  // Built from the command classes, never from a previous manifest.
  rmSync(file, { force: true });
  const config = await Config.load({ root });
  const plugin = config.plugins.get(config.pjson.name);
  if (!plugin) throw new Error(`plugin ${config.pjson.name} not loaded`);
  writeFileSync(file, JSON.stringify(plugin.manifest, undefined, 2) + '\n');
  process.stdout.write(
    `wrote ${file} (${Object.keys(plugin.manifest.commands).length} commands)\n`,
  );
})().catch((e) => {
  process.stderr.write(`error: ${e.message}\n`);
  process.exitCode = 1;
});
