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

type Module<T> = { default: T };

export const COMMANDS = {
  get drift() {
    return (require('./commands/drift') as Module<typeof import('./commands/drift').default>)
      .default;
  },
  get status() {
    return (require('./commands/status') as Module<typeof import('./commands/status').default>)
      .default;
  },
  get upgrade() {
    return (require('./commands/upgrade') as Module<typeof import('./commands/upgrade').default>)
      .default;
  },
  get 'addons:versions'() {
    return (
      require('./commands/addons/versions') as Module<
        typeof import('./commands/addons/versions').default
      >
    ).default;
  },
  get 'migrate:history'() {
    return (
      require('./commands/migrate/history') as Module<
        typeof import('./commands/migrate/history').default
      >
    ).default;
  },
  get migrate() {
    return (
      require('./commands/migrate/index') as Module<
        typeof import('./commands/migrate/index').default
      >
    ).default;
  },
  get 'migrate:plan'() {
    return (
      require('./commands/migrate/plan') as Module<typeof import('./commands/migrate/plan').default>
    ).default;
  },
  get 'migrate:rollback'() {
    return (
      require('./commands/migrate/rollback') as Module<
        typeof import('./commands/migrate/rollback').default
      >
    ).default;
  },
  get 'requests:approve'() {
    return (
      require('./commands/requests/approve') as Module<
        typeof import('./commands/requests/approve').default
      >
    ).default;
  },
  get 'requests:cancel'() {
    return (
      require('./commands/requests/cancel') as Module<
        typeof import('./commands/requests/cancel').default
      >
    ).default;
  },
  get 'requests:create'() {
    return (
      require('./commands/requests/create') as Module<
        typeof import('./commands/requests/create').default
      >
    ).default;
  },
  get 'requests:get'() {
    return (
      require('./commands/requests/get') as Module<typeof import('./commands/requests/get').default>
    ).default;
  },
  get requests() {
    return (
      require('./commands/requests/index') as Module<
        typeof import('./commands/requests/index').default
      >
    ).default;
  },
  get 'requests:list'() {
    return (
      require('./commands/requests/list') as Module<
        typeof import('./commands/requests/list').default
      >
    ).default;
  },
  get 'requests:reject'() {
    return (
      require('./commands/requests/reject') as Module<
        typeof import('./commands/requests/reject').default
      >
    ).default;
  },
} satisfies Record<string, Command.Class>;
