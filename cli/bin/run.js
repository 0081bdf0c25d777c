#!/usr/bin/env node
// kubectl finds this file as `kubectl-hyperpod` on PATH and runs it for `kubectl hyperpod ...`.
// The CLI ships bundled (dist/bundle, see dist/launcher.js and docs/adr/0006-cli-bundle.md).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script, no build step
void require('../dist/launcher.js').main(__dirname);
