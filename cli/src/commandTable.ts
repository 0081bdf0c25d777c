/**
 * Every `kubectl hyperpod` command, by oclif id (`addons:versions` is `addons versions`). oclif
 * finds commands here (package.json `oclif.commands`, strategy `explicit`), not by scanning
 * dist/commands/: this module is the entry point of the bundle the CLI ships (dist/bundle/cli.cjs,
 * see scripts/bundle.mjs and docs/adr/0006-cli-bundle.md). A new command file must be added here;
 * the bundle build fails when a file under commands/ is missing from this table.
 *
 * Each entry is a getter that requires its module on first use: oclif reads only the entry of the
 * command it runs (its flags and help come from oclif.manifest.json), so running `status` does not
 * evaluate `migrate` or `requests` and what they import. The order is the one oclif's directory
 * scan used to produce, so oclif.manifest.json is unchanged.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- require() in a getter is what makes each command load on first use */
import type { Command } from '@oclif/core';

/** The class a command module exports by default (require() in a getter is untyped). */
const command = (mod: unknown): Command.Class => (mod as { default: Command.Class }).default;

export const COMMANDS = {
  get drift() {
    return command(require('./commands/drift'));
  },
  get status() {
    return command(require('./commands/status'));
  },
  get 'resolve-conflicts'() {
    return command(require('./commands/resolve-conflicts'));
  },
  get upgrade() {
    return command(require('./commands/upgrade'));
  },
  get 'addons:versions'() {
    return command(require('./commands/addons/versions'));
  },
  get 'migrate:history'() {
    return command(require('./commands/migrate/history'));
  },
  get migrate() {
    return command(require('./commands/migrate/index'));
  },
  get 'migrate:plan'() {
    return command(require('./commands/migrate/plan'));
  },
  get 'migrate:rollback'() {
    return command(require('./commands/migrate/rollback'));
  },
  get rbac() {
    return command(require('./commands/rbac'));
  },
  get 'requests:approve'() {
    return command(require('./commands/requests/approve'));
  },
  get 'requests:cancel'() {
    return command(require('./commands/requests/cancel'));
  },
  get 'requests:create'() {
    return command(require('./commands/requests/create'));
  },
  get 'requests:get'() {
    return command(require('./commands/requests/get'));
  },
  get requests() {
    return command(require('./commands/requests/index'));
  },
  get 'requests:list'() {
    return command(require('./commands/requests/list'));
  },
  get 'requests:reject'() {
    return command(require('./commands/requests/reject'));
  },
} satisfies Record<string, Command.Class>;
