#!/usr/bin/env node
// kubectl finds this file as `kubectl-hyperpod` on PATH and runs it for `kubectl hyperpod ...`.
// The SDK's notice about its own future Node support is for developers, not for plugin users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
void (async () => {
  const oclif = await import('@oclif/core');
  // Always run the compiled commands: with NODE_ENV=development|test oclif would look for
  // TypeScript sources (and warn when an installed copy has none).
  oclif.settings.enableAutoTranspile = false;
  await oclif.execute({ dir: __dirname });
})();
