// The esbuild plugins that make cli.cjs (docs/adr/0006-cli-bundle.md: what each one saves), and
// the checks that fail the build when the sources start using what a plugin left out.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DIST, fail, OUT, REPO, ROOT } from './bundlePaths.mjs';

/**
 * What @hyperpod/core-node takes from @kubernetes/client-node at run time. Bundling the package
 * whole means ~1,000 generated model modules (14 MB) the CLI never uses; narrowed to these
 * exports, esbuild keeps KubeConfig and what it needs. checkClientNodeUse() fails the build when
 * core-node starts using another export.
 */
const CLIENT_NODE_EXPORTS = ['KubeConfig'];

/**
 * The plugins of the cli.cjs pass, in order. `esbuild` and the pass's `target` and `logLevel` are
 * for the AWS clients' own pre-bundling passes, whose metafiles (what they put in the bundle, for
 * the licence notices) fill `awsClientMetafiles` as the pass runs.
 */
export function bundlePlugins(esbuild, { target, logLevel }) {
  const awsClientMetafiles = [];
  return {
    plugins: [
      sharedOclif,
      narrowClientNode,
      clientNodeWithoutSideEffects,
      nodeUrlForWhatwgUrl,
      nodeZlibForFflate,
      oneAjv,
      treeShakenAwsClients(esbuild, { target, logLevel }, awsClientMetafiles),
    ],
    awsClientMetafiles,
  };
}

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
function treeShakenAwsClients(esbuild, { target, logLevel }, awsClientMetafiles) {
  const awsClients = awsClientUse();
  return {
    name: 'tree-shaken-aws-clients',
    setup(build) {
      build.onResolve({ filter: /^@aws-sdk\/client-[\w-]+$/ }, (a) => {
        if (a.importer.includes(`${sep}node_modules${sep}`)) return undefined;
        if (!awsClients.get(a.path)?.importers.has(a.importer))
          return {
            errors: [
              { text: `${a.importer} imports ${a.path}, which awsClientUse() did not find` },
            ],
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
          target,
          format: 'cjs',
          write: false,
          // keepNames: the main pass gives the classes their names.
          charset: 'ascii',
          legalComments: 'none',
          logLevel,
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
}

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

/**
 * Fails when a module importing client-node names one of its exports that CLIENT_NODE_EXPORTS
 * leaves out (it would be undefined in the bundle).
 */
export async function checkClientNodeUse(metafile) {
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
        'add them to CLIENT_NODE_EXPORTS in cli/scripts/bundlePlugins.mjs',
      );
  }
}

/** Every fflate function a bundled module calls (tsc output: `fflate_1.name`) is in NODE_FFLATE. */
export function checkFflateUse(metafile) {
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

/** client-node's dist/ directory (its ESM build, the one esbuild bundles). */
function clientNodeDist() {
  return dirname(fileURLToPath(clientNodeUrl()));
}

/** client-node as core-node resolves it (its main module, as a URL for import()). */
function clientNodeUrl() {
  const dir = join(REPO, 'packages', 'core-node', 'node_modules', '@kubernetes', 'client-node');
  const base = existsSync(dir) ? dir : join(REPO, 'node_modules', '@kubernetes', 'client-node');
  const pkg = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8'));
  return pathToFileURL(join(base, pkg.main ?? 'index.js')).href;
}
