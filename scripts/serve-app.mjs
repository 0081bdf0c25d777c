#!/usr/bin/env node
// Serves the app's production build (`packages/app/dist`, from `backstage-cli package build`) the
// way a static host or CDN would: gzip, long-lived caching for the content-hashed files under
// /static, no caching for index.html, and index.html for every other path (the app routes on the
// client). `npm start -- --production` runs it in place of the dev server.
//
//   node scripts/serve-app.mjs [--dir packages/app/dist] [--port 3000]
import compression from 'compression';
import express from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: join(root, 'packages/app/dist') },
    port: { type: 'string', default: '3000' },
  },
});
const dir = resolve(values.dir);
const port = Number(values.port);
const index = join(dir, 'index.html');
if (!existsSync(index)) {
  process.stderr.write(
    `serve-app: ${index} does not exist; build the app first: (cd packages/app && npx backstage-cli package build)\n`,
  );
  process.exit(1);
}
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write(`serve-app: --port must be a port number, got '${values.port}'\n`);
  process.exit(2);
}

const app = express();
app.disable('x-powered-by');
app.use(compression());
app.use(
  '/static',
  express.static(join(dir, 'static'), { immutable: true, maxAge: '1y', fallthrough: false }),
);
app.use(express.static(dir, { index: false, maxAge: 0 }));
app.get('*', (_req, res) => {
  res.set('Cache-Control', 'no-cache');
  res.sendFile(index);
});
app.listen(port, () => process.stderr.write(`serve-app: ${dir} on http://localhost:${port}\n`));
