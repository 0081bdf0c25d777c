// cli/oclif.manifest.json: every command's flags and help, from the bundle just written (oclif's
// own way: a root plugin ignoring any manifest on disk), checked against the command sources.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fail, MANIFEST, OUT, ROOT, writeAtomically } from './bundlePaths.mjs';

/** Writes the manifest; returns the command ids in it. */
export async function writeManifest() {
  process.env.NODE_DISABLE_COMPILE_CACHE = '1';
  const require = createRequire(import.meta.url);
  const oclif = require(join(OUT, 'oclif.cjs'));
  const plugin = new oclif.Plugin({
    root: ROOT,
    type: 'core',
    isRoot: true,
    ignoreManifest: true,
    errorOnManifestCreate: true,
  });
  await plugin.load();
  const ids = Object.keys(plugin.manifest.commands);
  const fromFiles = commandFileIds(join(ROOT, 'src', 'commands'));
  const missing = fromFiles.filter((id) => !ids.includes(id));
  const extra = ids.filter((id) => !fromFiles.includes(id));
  if (missing.length || extra.length)
    fail(
      `cli/src/commandTable.ts does not match cli/src/commands/: ` +
        [
          missing.length ? `missing ${missing.join(', ')}` : '',
          extra.length ? `no file for ${extra.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
      'add each command class to COMMANDS in cli/src/commandTable.ts (id = its path under commands/, index = the topic)',
    );
  writeAtomically(MANIFEST, JSON.stringify(plugin.manifest, undefined, 2) + '\n');
  return ids;
}

/** oclif's own rule (pattern strategy): commands/a/b.ts is `a:b`, commands/a/index.ts is `a`. */
function commandFileIds(dir, topics = []) {
  const ids = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) ids.push(...commandFileIds(join(dir, e.name), [...topics, e.name]));
    else if (/^[^.]+\.ts$/.test(e.name)) {
      const name = e.name.slice(0, -3);
      ids.push([...topics, ...(name === 'index' ? [] : [name])].join(':'));
    }
  }
  return ids;
}
