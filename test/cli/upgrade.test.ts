/**
 * `kubectl hyperpod upgrade` end to end on a sandbox cluster running vpc-cni v1.18.6: the built
 * CLI as a child process (stdin a pipe, or a terminal from `script`), with a kubeconfig written by the real
 * `aws eks update-kubeconfig`. The add-on's configuration holds a secret that must never be
 * printed.
 */
import { UpgradeLock, type EksAddon, type UpgradeOutcome, type UpgradePlan } from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { gatewaysFor } from '../migrate/support';
import { expectOneLineError } from './support/expectOneLineError';
import { runCli, type CliResult } from './support/runCli';
import { runCliOnTty } from './support/runCliOnTty';
import { useCliSandbox } from './support/useCliSandbox';
import { failNextVpcCniUpdate } from '../support/failNextVpcCniUpdate';
import { vpcCniCluster } from '../support/vpcCniCluster';

const CLUSTER = 'ml-cli-upgrade-use1';
const SECRET = 'hunter2-s3cr3t';
const CONFIG = JSON.stringify({
  env: { WARM_IP_TARGET: '5', ENABLE_PREFIX_DELEGATION: 'true', PROXY_PASSWORD: SECRET },
});
const FROM = 'v1.18.6-eksbuild.1';
const MIDDLE = 'v1.19.5-eksbuild.3';
const LATEST = 'v1.20.0-eksbuild.1';

let roleArn: string;

/** One 1.31 cluster running vpc-cni FROM with a configuration (holding SECRET) and a role. */
async function startSandbox(): Promise<Sandbox> {
  const sb = await Sandbox.start({ scenario: 'empty', addonTransitionMs: 20 });
  ({ roleArn } = await vpcCniCluster(sb, CLUSTER, {
    version: FROM,
    configurationValues: CONFIG,
    roleName: 'AmazonEKSVPCCNIRole',
  }));
  return sb;
}
const t = useCliSandbox(startSandbox, () => ({ KUBECTL_HYPERPOD_POLL_MS: '20' }));

const upgrade = (args: string[]): Promise<CliResult> =>
  runCli(['upgrade', ...args, '--context', CLUSTER], t.env, 120_000);
const vpcCni = async (): Promise<EksAddon | undefined> =>
  gatewaysFor(t.sb, CLUSTER).eks.describeAddon(CLUSTER, 'vpc-cni');

/** Another run's upgrade lock on `addon` in the cluster (a Lease), as `holder` holds it. */
const holdUpgradeLock = (addon: string, holder: string, runId: string) =>
  UpgradeLock.acquire(gatewaysFor(t.sb, CLUSTER).kube, addon, holder, runId);

const DOWN = '\u001b[B';

describe('kubectl hyperpod upgrade', () => {
  it('--dry-run prints the plan on stdout (from, each hop, to, checks) and changes nothing', async () => {
    const r = await upgrade(['vpc-cni', '--to', 'latest', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^Upgrade plan for vpc-cni on cluster ${CLUSTER} \\(Kubernetes 1\\.31\\)\\n`),
    );
    expect(r.stdout).toMatch(new RegExp(`^ {2}from: +${FROM}$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^ {2}to: +${LATEST}$`, 'm'));
    expect(r.stdout).toMatch(/^ {2}hops \(2, one minor version at a time\):$/m);
    expect(r.stdout).toContain(`    1. UpdateAddon ${FROM} → ${MIDDLE}, then wait until ACTIVE`);
    expect(r.stdout).toContain(`    2. UpdateAddon ${MIDDLE} → ${LATEST}, then wait until ACTIVE`);
    expect(r.stdout).toContain(`configuration:  the current configuration fits ${LATEST}'s schema`);
    expect(r.stdout).toMatch(/^ {2}dependencies: +none to move first$/m);
    expect(r.stdout).not.toContain('Refusals');
    expect(r.stderr).toContain('dry run: plan only, nothing was changed');
    expect(t.sb.diff(t.before)).toEqual([]);

    const json = await upgrade(['vpc-cni', '--to', 'default', '--dry-run', '-o', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout) as UpgradePlan).toMatchObject({
      schemaVersion: 1,
      clusterName: CLUSTER,
      addonName: 'vpc-cni',
      from: FROM,
      hops: [expect.stringMatching(/^v1\.19\./)],
      refusals: [],
    });
    expect(`${r.stdout}${r.stderr}${json.stdout}${json.stderr}`).not.toContain(SECRET);
    expect(t.sb.diff(t.before)).toEqual([]);
  });

  it('a version the cluster cannot run is refused (exit 9) with the refusal and where to look', async () => {
    const r = await upgrade(['vpc-cni', '--to', 'v9.9.9-eksbuild.1', '--dry-run']);
    expect(r.code).toBe(9);
    expect(r.stdout).toMatch(/^Refusals \(1\): the plan may not run$/m);
    expect(r.stdout).toMatch(/^ {2}configuration: +not checked$/m);
    expect(r.stderr).toMatch(
      /^error: the plan has 1 refusal, nothing was changed: vpc-cni has no version v9\.9\.9-eksbuild\.1/m,
    );
    expect(r.stderr).toMatch(
      new RegExp(`^try: kubectl hyperpod addons versions vpc-cni --context ${CLUSTER} {2}#`, 'm'),
    );
    expect(t.sb.diff(t.before)).toEqual([]);
  });

  it('without --auto-approve and with stdin not a terminal it refuses (exit 2) before reading anything', async () => {
    const r = await upgrade(['vpc-cni', '--to', 'latest']);
    expectOneLineError(
      r,
      2,
      /^error: upgrade asks before it changes anything, and stdin is not a terminal: pass --auto-approve/,
      new RegExp(
        `^try: kubectl hyperpod upgrade vpc-cni --to latest --context ${CLUSTER} --auto-approve$`,
      ),
    );
    expect(t.sb.diff(t.before)).toEqual([]);
  });

  it('a missing or malformed ADDON or --to, an add-on EKS does not offer, or one not installed: one error line and the fix', async () => {
    expectOneLineError(
      await upgrade(['vpc-cni', '--to', 'newest', '--auto-approve']),
      2,
      /--to "newest" is not an add-on version \(e\.g\. v1\.19\.5-eksbuild\.3, default or latest\)/,
      /^try: kubectl hyperpod upgrade vpc-cni --auto-approve --context \S+ --to latest$/,
    );
    expectOneLineError(
      await upgrade(['vpc-cni', '--auto-approve']),
      2,
      /--to is required: the version to upgrade to, `default` or `latest`/,
      /^try: kubectl hyperpod upgrade vpc-cni --auto-approve --context \S+ --to latest$/,
    );
    expectOneLineError(
      await upgrade(['--to', 'latest']),
      2,
      /upgrade needs the add-on to upgrade/,
      /^try: kubectl hyperpod status --context \S+ {2}# lists the installed add-ons; then: kubectl hyperpod upgrade ADDON --to latest/,
    );
    expectOneLineError(
      await upgrade(['VPC CNI', '--to', 'latest', '--auto-approve']),
      3,
      /"VPC CNI" is not a valid EKS add-on name/,
      /^try: kubectl hyperpod upgrade vpc-cni --to latest/,
    );
    expectOneLineError(
      await upgrade(['vpc-cnii', '--to', 'latest', '--auto-approve']),
      3,
      /add-on "vpc-cnii" is not offered by EKS for Kubernetes 1\.31 in us-east-1 \(known: .*vpc-cni/,
      /^try: kubectl hyperpod upgrade vpc-cni --to latest --auto-approve --context /,
    );
    expectOneLineError(
      await upgrade(['coredns', '--to', 'latest', '--auto-approve']),
      3,
      new RegExp(`coredns is not installed on ${CLUSTER}: there is nothing to upgrade`),
      new RegExp(
        `^try: aws eks create-addon --cluster-name ${CLUSTER} --addon-name coredns --region us-east-1`,
      ),
    );
    expectOneLineError(
      await upgrade(['vpc-cni', '--to', 'latest', '-A', '--auto-approve']),
      2,
      /upgrade works on one cluster at a time/,
      /^try: kubectl hyperpod upgrade vpc-cni/,
    );
    expect(t.sb.diff(t.before)).toEqual([]);
  });

  it('--help shows the usage and the exit codes of an upgrade', async () => {
    const r = await runCli(['upgrade', '--help'], t.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ kubectl hyperpod upgrade ADDON --to VERSION|default|latest');
    expect(r.stdout).toMatch(/EXIT CODES[\s\S]* 9 {2}upgrade: the upgrade may not run/);
    expect(r.stdout).toMatch(
      /^ {2}10 {2}upgrade: an update failed and the add-on was rolled back/m,
    );
    expect(r.stdout).toMatch(/^ {2}11 {2}upgrade: an update failed and so did the rollback/m);
  });

  it('on a terminal it asks once; answering no changes nothing (exit 9)', async () => {
    // Typed once, when the question is on screen: down to "no", enter.
    let typed = false;
    const r = await runCliOnTty(
      ['upgrade', 'vpc-cni', '--to', 'latest', '--context', CLUSTER],
      t.env,
      (screen) => {
        if (typed || !/Upgrade \S+ on \S+ from /.test(screen)) return undefined;
        typed = true;
        return `${DOWN}\r`;
      },
    );
    expect(r.screen).toMatch(
      // The prompt wraps at the terminal's 80 columns.
      new RegExp(`Upgrade vpc-cni on ${CLUSTER} from ${FROM} to\\s+${LATEST} \\(2 updates\\)\\?`),
    );
    expect(r.screen).toMatch(/✔ Upgrade [^?]+\? no: change nothing/);
    expect(r.screen).toContain('error: declined at the prompt: nothing was changed');
    expect(r.screen).toMatch(
      /try: kubectl hyperpod upgrade vpc-cni --to latest --context \S+ --dry-run/,
    );
    expect(r.screen).not.toContain('updating vpc-cni');
    expect(r.code).toBe(9);
    expect(t.sb.diff(t.before)).toEqual([]);
  });

  it('another run upgrading the same add-on: exit 9 naming the holder, nothing changed', async () => {
    const lock = await holdUpgradeLock('vpc-cni', 'alice@laptop', 'alice-run-1');
    try {
      const held = t.sb.snapshot();
      const r = await upgrade(['vpc-cni', '--to', 'latest', '--auto-approve']);
      expect(r.code).toBe(9);
      expect(r.stdout).toMatch(/^status: +refused$/m);
      expect(r.stdout).toMatch(
        /^locked by: alice@laptop\/[0-9a-f]{12} \(run alice-run-1\) since \S+$/m,
      );
      expect(r.stdout).toMatch(/^nothing was changed$/m);
      expect(r.stderr).toMatch(
        /^error: another upgrade of vpc-cni holds this cluster: alice@laptop\/[0-9a-f]{12} \(run alice-run-1\) since \S+; the lock expires at \S+ unless renewed; nothing was changed$/m,
      );
      expect(r.stderr).toMatch(
        /^try: kubectl hyperpod upgrade vpc-cni --to latest --auto-approve --context \S+ {2}# once run alice-run-1 has ended, or after \S+ if its process died$/m,
      );
      expect(t.sb.diff(held)).toEqual([]);
      expect(await vpcCni()).toMatchObject({ addonVersion: FROM, status: 'ACTIVE' });
    } finally {
      await lock.release();
    }
  });

  it('a hop that fails is rolled back: exit 10, the report says how, the add-on is as before', async () => {
    failNextVpcCniUpdate(t.sb, LATEST);
    const r = await upgrade(['vpc-cni', '--to', 'latest', '--auto-approve']);
    expect(r.code).toBe(10);
    // Progress on stderr, one line per event with the time since the start.
    expect(r.stderr).toMatch(
      new RegExp(`^\\[\\d+\\.\\ds\\] ▶ updating vpc-cni to ${MIDDLE}$`, 'm'),
    );
    expect(r.stderr).toMatch(
      new RegExp(`^\\[\\d+\\.\\ds\\] ✓ vpc-cni is ACTIVE at ${MIDDLE}$`, 'm'),
    );
    expect(r.stderr).toMatch(
      new RegExp(
        `^\\[\\d+\\.\\ds\\] … vpc-cni is DEGRADED at ${LATEST} \\(InsufficientNumberOfReplicas\\)$`,
        'm',
      ),
    );
    expect(r.stderr).toMatch(/^\[\d+\.\ds\] ↩ rolling vpc-cni back to v1\.18\.6-eksbuild\.1/m);
    // The end report on stdout.
    expect(r.stdout).toMatch(/^status: +rolled-back$/m);
    expect(r.stdout).toMatch(new RegExp(`^now at: +${FROM}$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^hops done: ${MIDDLE}$`, 'm'));
    expect(r.stdout).toMatch(
      new RegExp(`^failed: +${LATEST} \\(InsufficientNumberOfReplicas\\)$`, 'm'),
    );
    expect(r.stdout).toMatch(new RegExp(`^rollback: +UpdateAddon to ${FROM}: succeeded$`, 'm'));
    expect(r.stdout).toMatch(
      /^retry: +kubectl hyperpod upgrade vpc-cni --to latest --context \S+ --dry-run$/m,
    );
    expect(r.stderr).toMatch(
      /^error: vpc-cni v1\.20\.0-eksbuild\.1 failed \(InsufficientNumberOfReplicas\)/m,
    );
    expect(r.stderr).toMatch(
      new RegExp(`^try: kubectl hyperpod status --context ${CLUSTER} {2}#`, 'm'),
    );
    expect(await vpcCni()).toMatchObject({
      addonVersion: FROM,
      status: 'ACTIVE',
      configurationValues: CONFIG,
      serviceAccountRoleArn: roleArn,
      issues: [],
    });
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
    // The lock was released: the next run is not refused.
    expect(
      await gatewaysFor(t.sb, CLUSTER).kube.get({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        namespace: 'kube-system',
        name: 'kubectl-hyperpod-upgrade-vpc-cni',
      }),
    ).toBeUndefined();
  });

  it('--auto-approve upgrades hop by hop to ACTIVE at the target, unblocked by another add-on’s upgrade', async () => {
    const other = await holdUpgradeLock('coredns', 'bob@laptop', 'bob-run-1');
    let r: CliResult;
    try {
      r = await upgrade(['vpc-cni', '--to', 'latest', '--auto-approve', '-o', 'json']);
    } finally {
      await other.release();
    }
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as UpgradeOutcome;
    expect(out).toMatchObject({
      schemaVersion: 1,
      clusterName: CLUSTER,
      addonName: 'vpc-cni',
      status: 'succeeded',
      from: FROM,
      to: LATEST,
      hopsDone: [MIDDLE, LATEST],
    });
    expect(out.updateIds).toHaveLength(2);
    // The captured configuration is data, with its secret redacted.
    expect(JSON.parse(out.captured!.configurationValues!)).toEqual({
      env: { WARM_IP_TARGET: '5', ENABLE_PREFIX_DELEGATION: 'true', PROXY_PASSWORD: '<redacted>' },
    });
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
    expect(r.stderr).toMatch(
      new RegExp(`^\\[\\d+\\.\\ds\\] ✓ vpc-cni upgraded ${FROM} → ${MIDDLE} → ${LATEST}$`, 'm'),
    );
    expect(await vpcCni()).toMatchObject({
      addonVersion: LATEST,
      status: 'ACTIVE',
      configurationValues: CONFIG,
      serviceAccountRoleArn: roleArn,
    });

    // Again: already there, nothing to do (exit 0, no update).
    const again = await upgrade(['vpc-cni', '--to', 'latest', '--auto-approve']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^status: +succeeded$/m);
    expect(again.stdout).toMatch(new RegExp(`^result: +vpc-cni is already at ${LATEST}$`, 'm'));
    expect(again.stdout).not.toMatch(/^updates:/m);
  });
});
