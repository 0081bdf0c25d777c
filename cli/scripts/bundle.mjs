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
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(ROOT, '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'bundle');
const MANIFEST = join(ROOT, 'oclif.manifest.json');
const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const minify = !args.includes('--no-minify');
const analyze = args.includes('--analyze');

/**
 * What @hyperpod/core-node takes from @kubernetes/client-node at run time. Bundling the package
 * whole means ~1,000 generated model modules (14 MB) the CLI never uses; narrowed to these
 * exports, esbuild keeps KubeConfig and what it needs. checkClientNodeUse() fails the build when
 * core-node starts using another export.
 */
const CLIENT_NODE_EXPORTS = ['KubeConfig'];

const fail = (message, fix) => {
  process.stderr.write(`error: ${message}\n${fix ? `try: ${fix}\n` : ''}`);
  process.exit(1);
};
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

/** `@oclif/core` in cli.cjs is oclif.cjs: one oclif, whose Command the commands extend. */
const sharedOclif = {
  name: 'shared-oclif',
  setup(build) {
    build.onResolve({ filter: /^@oclif\/core(\/.*)?$/ }, (a) =>
      a.path === '@oclif/core'
        ? { path: './oclif.cjs', external: true }
        : { errors: [{ text: `${a.path}: only '@oclif/core' itself is shared with oclif.cjs` }] },
    );
  },
};

/** `@kubernetes/client-node` narrowed to CLIENT_NODE_EXPORTS (see there). */
const narrowClientNode = {
  name: 'narrow-client-node',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, (a) =>
      a.namespace === 'client-node'
        ? undefined
        : { path: a.resolveDir, namespace: 'client-node', pluginData: { importer: a.importer } },
    );
    // From config.js itself: the package's index re-exports every module of the package.
    build.onLoad({ filter: /.*/, namespace: 'client-node' }, () => ({
      contents: `export { ${CLIENT_NODE_EXPORTS.join(', ')} } from './config.js';\n`,
      resolveDir: clientNodeDist(),
      loader: 'js',
    }));
    // config.js takes two helpers from the generated API's index, which re-exports ~800 model
    // and API modules; it gets them from their own modules.
    build.onResolve({ filter: /^\.\/gen\/index\.js$/ }, (a) =>
      a.importer === join(clientNodeDist(), 'config.js')
        ? { path: join(clientNodeDist(), 'gen', 'index.js'), namespace: 'client-node-gen' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'client-node-gen' }, () => ({
      contents:
        "export { createConfiguration } from './configuration.js';\n" +
        "export { ServerConfiguration } from './servers.js';\n",
      resolveDir: join(clientNodeDist(), 'gen'),
      loader: 'js',
    }));
  },
};

/**
 * client-node's modules as free of side effects, which they are (its package.json just does not
 * say so). Its config.js imports the generated API (gen/index.js: ~800 model and API modules) for
 * two helpers KubeConfig never calls on the CLI's path; without this esbuild has to keep and
 * evaluate every one of them on each run.
 */
const clientNodeWithoutSideEffects = {
  name: 'client-node-without-side-effects',
  setup(build) {
    const dist = clientNodeDist() + sep;
    build.onResolve({ filter: /^\.\.?\// }, (a) =>
      a.importer.startsWith(dist)
        ? { path: join(a.resolveDir, a.path), sideEffects: false }
        : undefined,
    );
  },
};

/**
 * node-fetch (client-node's) loads whatwg-url only as a fallback for a missing global URL, which
 * Node has; whatwg-url parses a 256 kB Unicode table when loaded. Node's own URL stands in.
 */
const nodeUrlForWhatwgUrl = {
  name: 'node-url-for-whatwg-url',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, (a) =>
      /[\\/]node-fetch[\\/]/.test(a.importer)
        ? { path: 'whatwg-url', namespace: 'node-url' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'node-url' }, () => ({
      contents: "module.exports = { URL: require('node:url').URL };\n",
      loader: 'js',
    }));
  },
};

/**
 * fflate (the core's gzip, pure JavaScript for the browser) as Node's zlib: dist/nodeFflate.js,
 * see cli/src/nodeFflate.ts. checkFflateUse() fails the build when the core calls an fflate
 * function that module does not provide.
 */
const NODE_FFLATE = join(DIST, 'nodeFflate.js');
const nodeZlibForFflate = {
  name: 'node-zlib-for-fflate',
  setup(build) {
    build.onResolve({ filter: /^fflate$/ }, () => ({ path: NODE_FFLATE }));
  },
};

/**
 * One ajv: @hyperpod/core and @hyperpod/core-node each have their own copy in node_modules (the
 * root holds eslint's ajv 6). When both are the same version, both import core's.
 */
const oneAjv = {
  name: 'one-ajv',
  setup(build) {
    const copies = ['core', 'core-node'].map((p) =>
      join(REPO, 'packages', p, 'node_modules', 'ajv'),
    );
    const versions = copies.map((d) =>
      existsSync(d) ? JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).version : undefined,
    );
    if (!versions[0] || versions[0] !== versions[1]) return;
    const coreDir = join(REPO, 'packages', 'core');
    build.onResolve({ filter: /^ajv(\/.*)?$/ }, (a) =>
      a.pluginData === 'one-ajv' || !a.importer.includes(`${sep}core-node${sep}`)
        ? undefined
        : build.resolve(a.path, { kind: a.kind, resolveDir: coreDir, pluginData: 'one-ajv' }),
    );
  },
};

/**
 * Each AWS SDK client (`@aws-sdk/client-*`) as only what our modules use of it. Its CommonJS build
 * is one file that defines every operation's schema and command class, all evaluated when the
 * client is first loaded (client-eks: ~5 ms of a `status`) and all of it in the bundle
 * (client-sagemaker alone is 690 kB). Instead, each client our modules import is pre-bundled from
 * its ES build (`module`, free of side effects) as a module exporting only the names they use,
 * so esbuild keeps those commands and the schemas they reach and drops the rest; what the client
 * imports from other packages (@smithy/*, @aws-sdk/core...) stays an import, shared as before.
 * (Through require(), which is how tsc's CommonJS output reaches the client, esbuild cannot drop
 * the unused parts of an ES module graph: hence the separate pass.)
 *
 * The names come from awsClientUse(): every export of the client that a module importing it
 * names as a property (tsc's output reaches them as `sdk.DescribeClusterCommand`,
 * `(await import(...)).EKSClient`). A superset of what is used, so nothing used goes missing; the
 * build fails when a module imports a client awsClientUse() did not see.
 */
const awsClients = awsClientUse();
/** The pre-bundling passes' metafiles: what they put in the bundle (licence notices). */
const awsClientMetafiles = [];
const treeShakenAwsClients = {
  name: 'tree-shaken-aws-clients',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/client-[\w-]+$/ }, (a) => {
      if (a.importer.includes(`${sep}node_modules${sep}`)) return undefined;
      if (!awsClients.get(a.path)?.importers.has(a.importer))
        return {
          errors: [{ text: `${a.importer} imports ${a.path}, which awsClientUse() did not find` }],
        };
      return { path: a.path, namespace: 'aws-client', pluginData: { resolveDir: a.resolveDir } };
    });
    build.onLoad({ filter: /.*/, namespace: 'aws-client' }, async (a) => {
      const { names } = awsClients.get(a.path);
      const pkgFile = createRequire(join(a.pluginData.resolveDir, 'x.js')).resolve(
        `${a.path}/package.json`,
      );
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
      if (!pkg.module || pkg.sideEffects !== false)
        return { errors: [{ text: `${a.path} has no ES build free of side effects` }] };
      const clientDir = dirname(pkgFile);
      const own = await esbuild.build({
        absWorkingDir: ROOT,
        metafile: true,
        stdin: {
          contents: `export { ${[...names].sort().join(', ')} } from './${pkg.module}';\n`,
          resolveDir: clientDir,
          sourcefile: `${a.path.slice('@aws-sdk/'.length)}-used-exports.js`,
        },
        bundle: true,
        platform: 'node',
        target: common.target,
        format: 'cjs',
        write: false,
        // keepNames: the main pass gives the classes their names.
        charset: 'ascii',
        legalComments: 'none',
        logLevel: common.logLevel,
        sourcemap: 'inline',
        sourcesContent: false,
        plugins: [
          {
            name: 'other-packages-external',
            setup(b) {
              b.onResolve({ filter: /^[^./]/ }, () => ({ external: true }));
            },
          },
        ],
      });
      awsClientMetafiles.push(own.metafile);
      return { contents: own.outputFiles[0].text, resolveDir: clientDir, loader: 'js' };
    });
  },
};

/** Per client: the modules of ours that import it, and the names they use of it (see above). */
function awsClientUse() {
  const clients = new Map();
  const exportsOf = new Map();
  const dirs = [join(DIST), ...['core', 'core-node'].map((p) => join(REPO, 'packages', p, 'dist'))];
  for (const file of dirs.flatMap((d) => jsFiles(d))) {
    const text = readFileSync(file, 'utf8');
    for (const [, client] of text.matchAll(/["'](@aws-sdk\/client-[\w-]+)["']/g)) {
      if (!exportsOf.has(client)) exportsOf.set(client, Object.keys(createRequire(file)(client)));
      const use = clients.get(client) ?? { importers: new Set(), names: new Set() };
      clients.set(client, use);
      use.importers.add(file);
      for (const name of exportsOf.get(client))
        if (new RegExp(`\\.${name}\\b`).test(text)) use.names.add(name);
    }
  }
  return clients;
}

/** tsc's JavaScript output under `dir` (not the bundle, not tests). */
function jsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return p === OUT ? [] : jsFiles(p);
    return /(?<!\.test)\.js$/.test(e.name) ? [p] : [];
  });
}

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
    plugins: [
      sharedOclif,
      narrowClientNode,
      clientNodeWithoutSideEffects,
      nodeUrlForWhatwgUrl,
      nodeZlibForFflate,
      oneAjv,
      treeShakenAwsClients,
    ],
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
const write = (file, data) => {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
};
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
  'scripts/bundle.mjs',
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
  notices([oclifBuild.metafile, cliBuild.metafile, ...awsClientMetafiles]),
);

// The manifest, from the bundle just written (oclif's own way: a root plugin ignoring any
// manifest on disk), and checked against the command sources.
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
write(MANIFEST, JSON.stringify(plugin.manifest, undefined, 2) + '\n');

const kb = (name) => `${name} ${Math.round(statSync(join(OUT, name)).size / 1024)} kB`;
say(
  `bundled cli/dist/bundle (${kb('oclif.cjs')}, ${kb('cli.cjs')}) and cli/oclif.manifest.json ` +
    `(${ids.length} commands) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

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

/**
 * Fails when a module importing client-node names one of its exports that CLIENT_NODE_EXPORTS
 * leaves out (it would be undefined in the bundle).
 */
async function checkClientNodeUse(metafile) {
  const importers = Object.entries(metafile.inputs)
    .filter(([, i]) => i.imports.some((x) => x.path.startsWith('client-node:')))
    .map(([file]) => file);
  const all = Object.keys(await import(clientNodeUrl()));
  for (const file of importers) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const used = all.filter(
      (name) => !CLIENT_NODE_EXPORTS.includes(name) && new RegExp(`\\b${name}\\b`).test(text),
    );
    if (used.length)
      fail(
        `${file} uses ${used.join(', ')} from @kubernetes/client-node, which the bundle leaves out`,
        'add them to CLIENT_NODE_EXPORTS in cli/scripts/bundle.mjs',
      );
  }
}

/** Every fflate function a bundled module calls (tsc output: `fflate_1.name`) is in NODE_FFLATE. */
function checkFflateUse(metafile) {
  const shim = relative(ROOT, NODE_FFLATE).split(sep).join('/');
  const provided = Object.keys(createRequire(import.meta.url)(NODE_FFLATE));
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (!input.imports.some((x) => x.path === shim && x.original === 'fflate')) continue;
    const text = readFileSync(join(ROOT, file), 'utf8');
    const used = [...new Set([...text.matchAll(/\bfflate_1\.(\w+)/g)].map((m) => m[1]))];
    const missing = used.filter((name) => !provided.includes(name));
    if (missing.length || used.length === 0)
      fail(
        `${file} uses ${missing.length ? missing.join(', ') : 'fflate in a way'} the bundle's fflate (cli/src/nodeFflate.ts) does not provide`,
        'add them to cli/src/nodeFflate.ts',
      );
  }
}

/** client-node as core-node resolves it (its main module, as a URL for import()). */
/** client-node's dist/ directory (its ESM build, the one esbuild bundles). */
function clientNodeDist() {
  return dirname(fileURLToPath(clientNodeUrl()));
}

function clientNodeUrl() {
  const dir = join(REPO, 'packages', 'core-node', 'node_modules', '@kubernetes', 'client-node');
  const base = existsSync(dir) ? dir : join(REPO, 'node_modules', '@kubernetes', 'client-node');
  const pkg = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8'));
  return pathToFileURL(join(base, pkg.main ?? 'index.js')).href;
}

/** Name, version, licence and licence files of every third-party package in the bundles. */
function notices(metafiles) {
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
