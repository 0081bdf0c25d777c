/**
 * The by-hand way the fleet-scan bench compares with: the aws CLI, one process per call, clusters
 * one after another in one account.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetCluster } from './fleet';
import type { FleetSandbox } from './fleetSandboxProcess';
import { runProcess } from './runProcess';

const CLI_LOOP = `set -u
for spec in "$@"; do
  name=\${spec%%@*}; region=\${spec##*@}
  v=$(aws eks describe-cluster --name "$name" --region "$region" --endpoint-url "$EP" --query cluster.version --output text)
  for a in $(aws eks list-addons --cluster-name "$name" --region "$region" --endpoint-url "$EP" --query 'addons[]' --output text); do
    aws eks describe-addon --cluster-name "$name" --addon-name "$a" --region "$region" --endpoint-url "$EP" >/dev/null
  done
  aws eks describe-addon-versions --kubernetes-version "$v" --region "$region" --endpoint-url "$EP" >/dev/null
done
`;

/** The by-hand way: one aws CLI process per call, clusters one after another (one account). */
export async function cliLoop(
  sb: FleetSandbox,
  fleet: FleetCluster[],
  slice: number,
): Promise<{ perClusterMs: number; calls: number; ok: boolean; clusters: number }> {
  const account = fleet[0]!.accountId;
  const chosen = fleet.filter((c) => c.accountId === account).slice(0, slice);
  const a = sb.credentials[account]!;
  const dir = mkdtempSync(join(tmpdir(), 'hyperpod-bench-'));
  try {
    const script = join(dir, 'loop.sh');
    writeFileSync(script, CLI_LOOP);
    await sb.resetAwsCallStats();
    const r = await runProcess('bash', [script, ...chosen.map((c) => `${c.name}@${c.region}`)], {
      ...process.env,
      EP: sb.awsEndpoint,
      AWS_ACCESS_KEY_ID: a.accessKeyId,
      AWS_SECRET_ACCESS_KEY: a.secretAccessKey,
      AWS_PAGER: '',
    });
    if (r.code !== 0) process.stderr.write(`aws CLI loop failed: ${r.stderr.slice(0, 500)}\n`);
    return {
      perClusterMs: r.ms / chosen.length,
      calls: (await sb.awsCallStats()).total,
      ok: r.code === 0,
      clusters: chosen.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
