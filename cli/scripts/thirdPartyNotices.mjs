// dist/bundle/THIRD-PARTY-NOTICES.txt: the licences of the packages inside the bundles.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './bundlePaths.mjs';

/** Name, version, licence and licence files of every third-party package in the bundles. */
export function thirdPartyNotices(metafiles) {
  const roots = new Map();
  for (const m of metafiles)
    for (const input of Object.keys(m.inputs)) {
      const at = input.lastIndexOf('node_modules/');
      // Plugins' virtual modules (`namespace:path`) are not packages; what they import is.
      if (at < 0 || /^[\w-]+:/.test(input)) continue;
      const rest = input.slice(at + 'node_modules/'.length).split('/');
      const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
      const dir = join(ROOT, input.slice(0, at), 'node_modules', name);
      roots.set(dir, name);
    }
  const seen = new Set();
  const parts = [];
  for (const dir of [...roots.keys()].sort((a, b) => roots.get(a).localeCompare(roots.get(b)))) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const id = `${pkg.name}@${pkg.version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const texts = readdirSync(dir)
      .filter((f) => /^(licen[cs]e|copying|notice)(\.|-|$)/i.test(f))
      .sort()
      .map((f) => readFileSync(join(dir, f), 'utf8').trim());
    const licence = typeof pkg.license === 'string' ? pkg.license : JSON.stringify(pkg.license);
    parts.push(
      `${id} (${licence ?? 'licence not stated'})${pkg.homepage ? `\n${pkg.homepage}` : ''}\n\n` +
        (texts.join('\n\n') || '(no licence file in the package)'),
    );
  }
  return (
    'kubectl-hyperpod bundles the following third-party packages (dist/bundle/*.cjs).\n\n' +
    parts.join(`\n\n${'-'.repeat(78)}\n\n`) +
    '\n'
  );
}
