#!/usr/bin/env node
// Builds the CLI as it ships (docs/adr/0006-cli-bundle.md), from tsc's output (`tsc -b cli`
// first; `npm run build` does both):
//
//   dist/bundle/oclif.cjs       oclif: `--help` and command lookup load nothing else
//   dist/bundle/cli.cjs         the commands and all they load: @hyperpod/core, @hyperpod/core-node,
//                               the AWS SDK clients, @kubernetes/client-node (its KubeConfig)
//   dist/bundle/commands.cjs    oclif's command target (package.json oclif.commands): loads cli.cjs
//                               through dist/launcher.js
//   dist/bundle/*.map           source maps, through tsc's maps to the TypeScript sources
//   dist/bundle/bundle.json     content hashes (compile cache keys) and what a checkout watches
//   dist/bundle/THIRD-PARTY-NOTICES.txt   licences of the packages inside the bundles
//   oclif.manifest.json         every command's flags and help; written last
//
//   node cli/scripts/bundle.mjs [--quiet] [--no-minify] [--analyze (what takes the room)]
//
// Every file is written under a temporary name and renamed, so a CLI started meanwhile reads
// either the old build or the new one.
//
// Its parts: bundlePlugins.mjs (the esbuild plugins that make cli.cjs small, and their checks),
// thirdPartyNotices.mjs, writeManifest.mjs, bundlePaths.mjs (paths, fail, writeAtomically).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { bundlePlugins, checkClientNodeUse, checkFflateUse } from './bundlePlugins.mjs';
import { DIST, fail, OUT, REPO, ROOT, writeAtomically as write } from './bundlePaths.mjs';
import { thirdPartyNotices } from './thirdPartyNotices.mjs';
import { writeManifest } from './writeManifest.mjs';

const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const minify = !args.includes('--no-minify');
const analyze = args.includes('--analyze');

const say = (text) => quiet || process.stdout.write(`${text}\n`);

for (const f of ['commandTable.js', 'launcher.js'])
  if (!existsSync(join(DIST, f)))
    fail(`cli/dist/${f} is missing: tsc has not built cli/`, 'npx tsc -b cli');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  fail(
    'esbuild is not installed (a devDependency of cli/): the CLI bundle cannot be built',
    'npm ci',
  );
}

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  write: false,
  metafile: true,
  sourcemap: 'linked',
  // The maps point at the sources (cli/src, packages/*/src, node_modules) by relative path:
  // stack traces read file:line of the TypeScript, without shipping a second copy of it.
  sourcesContent: false,
  // Class and function names stay (error names, oclif's command classes, stack traces); local
  // names are shortened, which makes the code V8 deserialises on every run ~7 % smaller.
  keepNames: true,
  minifyWhitespace: minify,
  minifySyntax: minify,
  minifyIdentifiers: minify,
  // Minified, but in lines of readable length (Node prints the line of an uncaught error).
  lineLimit: 160,
  charset: 'ascii',
  legalComments: 'none',
  // import() becomes require(): the launcher compiles the bundles with vm.Script (for the code
  // cache), where a real import() has no module loader to call.
  supported: { 'dynamic-import': false },
  // --quiet (a checkout's launcher rebuilding before a run): nothing on stderr but errors.
  logLevel: quiet ? 'error' : 'warning',
};

const { plugins, awsClientMetafiles } = bundlePlugins(esbuild, common);

const t0 = performance.now();
const [oclifBuild, cliBuild] = await Promise.all([
  esbuild.build({
    ...common,
    stdin: {
      contents: "module.exports = require('@oclif/core');\n",
      resolveDir: ROOT,
      sourcefile: 'oclif-entry.js',
    },
    outfile: join(OUT, 'oclif.cjs'),
    // oclif's TypeScript support (development only, off in the launcher).
    external: ['typescript'],
  }),
  esbuild.build({
    ...common,
    entryPoints: [join(DIST, 'commandTable.js')],
    // No `module` condition: packages whose exports map lists it first (@smithy/core,
    // @aws-sdk/core) then resolve to their one-file CommonJS build for Node instead of ~380 ES
    // modules, each initialised on its own at run time.
    conditions: [],
    outfile: join(OUT, 'cli.cjs'),
    plugins,
  }),
]);
await checkClientNodeUse(cliBuild.metafile);
checkFflateUse(cliBuild.metafile);
if (analyze)
  for (const b of [oclifBuild, cliBuild])
    process.stdout.write(await esbuild.analyzeMetafile(b.metafile, { verbose: false }));

/** The JavaScript outputs must not call import() (see `supported` above). */
const outputs = [...oclifBuild.outputFiles, ...cliBuild.outputFiles];
const files = {};
for (const o of outputs) {
  if (!o.path.endsWith('.cjs')) continue;
  const name = relative(OUT, o.path);
  const dynamicImport = /(?<![\w$.'"`])import\(/.exec(o.text);
  if (dynamicImport)
    fail(
      `${name} still calls import() (…${o.text.slice(dynamicImport.index - 80, dynamicImport.index + 80)}…)`,
    );
  files[name] = createHash('sha256').update(o.contents).digest('hex').slice(0, 16);
}

mkdirSync(OUT, { recursive: true });
// Maps before the bundles that name them.
for (const o of outputs.filter((x) => x.path.endsWith('.map'))) write(o.path, o.contents);
for (const o of outputs.filter((x) => !x.path.endsWith('.map'))) write(o.path, o.contents);
write(
  join(OUT, 'commands.cjs'),
  '// Generated by cli/scripts/bundle.mjs: the command table of cli.cjs (package.json oclif.commands).\n' +
    "module.exports = require('../launcher.js').loadBundle(require('node:path').join(__dirname, 'cli.cjs'));\n",
);

/** What a checkout's launcher watches: tsc's build info of every workspace package bundled. */
const inputs = new Set([
  'package.json',
  // This script and the modules it loads.
  ...readdirSync(join(ROOT, 'scripts'))
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => `scripts/${f}`),
  relative(ROOT, join(REPO, 'node_modules', '.package-lock.json')),
]);
for (const input of Object.keys(cliBuild.metafile.inputs)) {
  const pkg = input.match(/^((?:\.\.\/)*(?:packages\/[^/]+|cli)?)\/?dist\//);
  if (pkg && !input.includes('node_modules/'))
    inputs.add(
      join(pkg[1] || '.', 'tsconfig.tsbuildinfo')
        .split(sep)
        .join('/'),
    );
}
write(
  join(OUT, 'bundle.json'),
  JSON.stringify({ files, inputs: [...inputs].sort() }, undefined, 2) + '\n',
);
write(
  join(OUT, 'THIRD-PARTY-NOTICES.txt'),
  thirdPartyNotices([oclifBuild.metafile, cliBuild.metafile, ...awsClientMetafiles]),
);

// The manifest, from the bundle just written, and checked against the command sources.
const ids = await writeManifest();

const kb = (name) => `${name} ${Math.round(statSync(join(OUT, name)).size / 1024)} kB`;
say(
  `bundled cli/dist/bundle (${kb('oclif.cjs')}, ${kb('cli.cjs')}) and cli/oclif.manifest.json ` +
    `(${ids.length} commands) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
