/**
 * An independent reading of a manifest: real kubectl parses it (Kubernetes' YAML reader, lists
 * flattened, as Helm's kube client reads a release) without a cluster (`label --local`) and prints
 * each object's identity as written.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlPath } from '../support/tools';

/** `apiVersion kind namespace/name` per object, namespace as written (empty when none). */
export function kubectlObjects(manifest: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-oracle-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, '');
  const r = spawnSync(
    kubectlPath(),
    [
      'label',
      '--local',
      '-f',
      '-',
      'oracle.kubectl-hyperpod.io/read=1',
      '-o',
      'jsonpath={.apiVersion} {.kind} {.metadata.namespace}/{.metadata.name}{"\\n"}',
    ],
    {
      input: manifest,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfig },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`kubectl label --local exited ${r.status}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}
