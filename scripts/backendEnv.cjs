// The environment `npm start` gives the Backstage backend. Development (the default) enables the
// guest and demo sign-in, which let anyone who reaches the backend pick a user, approvers
// included, and error bodies carry stack traces. `--production` runs it as production: both
// sign-in providers refuse, and errors are sent without stacks. test/portal/productionMode.test.ts
// starts the backend with exactly this.
'use strict';

/** @param {{ production: boolean }} opts */
function backendEnv(opts) {
  return { NODE_ENV: opts.production ? 'production' : 'development' };
}

/** app-config for `--production --demo-sign-in`: both demo providers on outside development. */
const demoSignInConfig = [
  'auth:',
  '  providers:',
  '    guest:',
  '      dangerouslyAllowOutsideDevelopment: true',
  '    hyperpod-demo:',
  '      dangerouslyAllowOutsideDevelopment: true',
  '',
].join('\n');

module.exports = { backendEnv, demoSignInConfig };
