/**
 * The sandbox's published Kubernetes schemas are generated from @kubernetes/client-node's models
 * (scripts/gen-kube-openapi.mjs): the committed file must be what the installed version gives.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

it('kubeDefinitions.json is what scripts/gen-kube-openapi.mjs writes from the installed client-node', () => {
  const root = join(__dirname, '..', '..');
  expect(() =>
    execFileSync(process.execPath, [join(root, 'scripts', 'gen-kube-openapi.mjs'), '--check'], {
      stdio: 'pipe',
    }),
  ).not.toThrow();
});
