/**
 * One real-chart conformance case, end to end on a sandbox: install with real helm (v3, and v4),
 * see it in `status` / drift, migrate it with its profile and check every object of the release is
 * accounted for, then crash after every mutating call and prove `--resume` finishes the run and
 * rollback restores the cluster and Helm's own view of the release exactly. Writes what it
 * measured to test-results/real-charts/<id>.json (docs/real-charts.md is generated from it).
 */
import {
  discoverMigration,
  InMemoryMigrationStore,
  planMigration,
  resumeMigration,
  rollbackMigration,
  startMigration,
  type MigrationGateways,
  type MigrationPlan,
} from '@hyperpod/core';
import type { SandboxSnapshot } from '@hyperpod/sandbox';
import { crasher } from '../migrate/crash';
import { gatewaysFor } from '../migrate/support';
import type { RealChartCase } from '../support/realChartCases';
import { requireRealChartsDir } from '../support/realCharts';
import { ok, startRealChartSandbox, type RealChartSandbox } from '../support/realChartSandbox';
import { releaseObjects, type ReleaseObject } from '../support/releaseObjects';
import { accountFor, helmView, presentObjects, type Accounting, type HelmView } from './accounting';
import { helmInstall } from './helmInstall';
import { afterCrash, deps, die } from './migrationDeps';
import { failureLine, newRealChartSummary, writeRealChartResult } from './realChartSummary';
import { scanCluster } from './scanCluster';

export function describeRealChart(c: RealChartCase): void {
  describe(`real chart ${c.id} (${c.chartName} ${c.chartVersion})`, () => {
    const CLUSTER = `ml-rc-${c.id.replace(/[^a-z0-9]/g, '').slice(0, 16)}`;
    const started = Date.now();
    const summary = newRealChartSummary(c);
    let s: RealChartSandbox;
    let chartDir: string;
    let valuesFile: string;
    let values: Record<string, unknown>;
    let objects: ReleaseObject[] = [];
    let baseline: SandboxSnapshot;
    let helmBefore: HelmView;
    let plan: MigrationPlan | undefined;
    let live: MigrationGateways;
    let present = new Set<string>();

    beforeAll(async () => {
      requireRealChartsDir();
      s = await startRealChartSandbox(CLUSTER);
      chartDir = c.chart();
      values = c.values(s);
      valuesFile = s.valuesFile(values);
      live = gatewaysFor(s.sb, CLUSTER);
    }, 120_000);
    afterAll(async () => {
      await s?.stop();
      summary.seconds = Math.round((Date.now() - started) / 1000);
      writeRealChartResult(`${c.id}.json`, summary);
      process.stdout.write(
        `real-charts ${c.id}: ${summary.seconds} s, ${summary.crashPoints ?? 0} crash points\n`,
      );
    });

    const fail = (what: string, e: unknown): never => {
      throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    };
    /** A test whose failure is also recorded in the summary (first lines, colours stripped). */
    const step = (name: string, label: string, fn: () => Promise<void>, timeout?: number) =>
      it(
        name,
        () =>
          fn().catch((e: unknown) => {
            summary.failures.push(`${label}: ${failureLine(e)}`);
            throw e;
          }),
        timeout,
      );

    /** `helm install --wait` of this case's chart on sandbox `t` (helmInstall.ts). */
    const install = (t: RealChartSandbox, file: string, v4: boolean) =>
      helmInstall(c, chartDir, t, file, v4);

    step(
      'installs with real helm v3 and lists every object of the release',
      'helm v3 install',
      async () => {
        const r = await install(s, valuesFile, false);
        summary.helm3 = r.note;
        if (!r.installed) fail('helm v3 install', new Error(r.error));
        objects = await releaseObjects(s, {
          release: c.release,
          namespace: c.namespace,
          chartDir,
          valuesFile,
        }).catch((e) => fail('release objects', e));
        summary.objectsRendered = objects.length;
        expect(objects.length).toBeGreaterThan(0);
        const list = JSON.parse(
          ok(await s.helm(['list', '-n', c.namespace, '-o', 'json']), 'helm list'),
        ) as {
          name: string;
          status: string;
          chart: string;
          app_version: string;
        }[];
        expect(list).toEqual([
          expect.objectContaining({
            name: c.release,
            status: 'deployed',
            chart: `${c.chartName}-${c.chartVersion}`,
          }),
        ]);
      },
      180_000,
    );

    step(
      'installs with real helm v4 on a sandbox of its own',
      'helm v4 install',
      async () => {
        const s4 = await startRealChartSandbox(`${CLUSTER}-v4`.slice(0, 40));
        try {
          const r = await install(s4, s4.valuesFile(c.values(s4)), true);
          summary.helm4 = r.note;
          if (!r.installed) fail('helm v4 install', new Error(r.error));
          // Helm v3 reads what v4 stored, and so does the scan.
          const list = JSON.parse(
            ok(await s4.helm(['list', '-n', c.namespace, '-o', 'json']), 'helm list'),
          ) as { name: string; status: string }[];
          expect(list).toEqual([expect.objectContaining({ name: c.release, status: 'deployed' })]);
          const report = await scanCluster(s4, `${CLUSTER}-v4`.slice(0, 40));
          expect(report.addons.find((a) => a.name === c.addonName)).toMatchObject({
            installedVia: 'helm',
            helm: { release: c.release, chartVersion: c.chartVersion },
          });
        } finally {
          await s4.stop();
        }
      },
      180_000,
    );

    step(
      'status and drift show the Helm install, its chart and app version and its add-on',
      'status/drift',
      async () => {
        const report = await scanCluster(s, CLUSTER);
        const a = report.addons.find((x) => x.name === c.addonName);
        expect(a).toMatchObject({
          installedVia: 'helm',
          migrationCandidate: true,
          helm: {
            release: c.release,
            namespace: c.namespace,
            status: 'deployed',
            chart: c.chartName,
            chartVersion: c.chartVersion,
            ...(c.appVersion ? { appVersion: c.appVersion } : {}),
          },
        });
        expect(a!.migrationTarget?.addonVersion).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
        for (const dep of c.dependencyAddons ?? [])
          expect(report.addons.find((x) => x.name === dep)).toMatchObject({
            installedVia: 'helm',
            helm: { release: c.release, subchartOf: c.chartName },
          });
      },
    );

    step(
      `migrates with profile ${c.profile}: the add-on ACTIVE, no Helm workload left, every object accounted for`,
      'migration',
      async () => {
        baseline = s.sb.snapshot();
        helmBefore = await helmView(s, c.release, c.namespace);
        present = presentObjects(s, objects);
        const d = await discoverMigration(live, { clusterName: CLUSTER, profile: c.profile });
        const planOpts = { now: '2026-12-06T00:00:00Z' };
        plan = planMigration(d, planOpts);
        // Values the profile itself says the add-on takes care of, yet reported as drops: a
        // finding, recorded; the rest of the case runs on the plan a customer gets by accepting
        // them (`--accept-drop`).
        const falseDrops = plan.drops
          .filter((x) => (c.consumedByProfile ?? []).includes(x.key))
          .map((x) => `${x.key} (${x.reason})`);
        if (falseDrops.length)
          plan = planMigration(d, {
            ...planOpts,
            acceptDrops: plan.drops
              .filter((x) => (c.consumedByProfile ?? []).includes(x.key))
              .map((x) => x.key),
          });
        writeRealChartResult(`${c.id}.plan.json`, plan);
        expect(plan.blockers).toEqual([]);
        // With the plan's ledger of the values in view when the derived target is wrong.
        expect({ target: plan.target, values: plan.values }).toMatchObject({
          target: c.target(values),
        });
        const store = new InMemoryMigrationStore();
        // The run is always rolled back, so the crash matrix starts from the Helm install whatever
        // this test finds.
        let out: Awaited<ReturnType<typeof startMigration>> | undefined;
        let acc: Accounting | undefined;
        let rb: Awaited<ReturnType<typeof rollbackMigration>>;
        try {
          out = await startMigration(plan, 'clean', deps(live, store));
          acc = await accountFor(s, live, plan, objects, c, present);
        } finally {
          rb = await rollbackMigration('clean', deps(live, store));
        }
        const diff = s.sb.diff(baseline);
        summary.rollbackDifferences = diff.length;
        const after = await helmView(s, c.release, c.namespace);
        summary.helmViewAfterRollback =
          JSON.stringify(after) === JSON.stringify(helmBefore) ? 'identical' : 'different';
        summary.accounting = acc.counts;
        const n = acc.counts;
        summary.objectsAccounted = n.migrated + n.removed + n.kept + n.goneBefore;
        // Every finding at once, not only the first.
        const findings = [
          ...(out?.status === 'succeeded' ? [] : [`run ${out?.status}: ${out?.message}`]),
          ...acc.problems,
          ...(summary.objectsAccounted === objects.length
            ? []
            : [`${summary.objectsAccounted} of ${objects.length} objects accounted for`]),
          ...(rb.status === 'rolled-back' && rb.rollbackErrors.length === 0
            ? []
            : [`rollback ${rb.status}: ${rb.rollbackErrors.join('; ') || rb.message}`]),
          ...diff.map(
            (x) =>
              `after rollback: ${x.path} ${JSON.stringify(x.before)} -> ${JSON.stringify(x.after)}`,
          ),
          ...(summary.helmViewAfterRollback === 'identical'
            ? []
            : ['helm list/get values/get manifest/history differ after rollback']),
          ...(falseDrops.length
            ? [`the plan reports values its profile consumes as drops: ${falseDrops.join('; ')}`]
            : []),
        ];
        expect(findings).toEqual([]);
      },
      300_000,
    );

    // The umbrella's crash matrix (130 points) is the longest case: a local run may leave it out
    // with REAL_CHARTS_UMBRELLA=0, and the run and the docs table then say that it did not run.
    const matrixAsked = c.id !== 'umbrella' || process.env.REAL_CHARTS_UMBRELLA !== '0';
    if (!matrixAsked) {
      summary.crashMatrix = 'not run (REAL_CHARTS_UMBRELLA=0)';
      process.stderr.write(
        `real-charts ${c.id}: REAL_CHARTS_UMBRELLA=0: its crash matrix DID NOT RUN\n`,
      );
    }
    (matrixAsked ? step : () => undefined)(
      'after a crash at every mutating call, resume finishes the run and rollback restores the cluster and Helm exactly',
      'crash matrix',
      async () => {
        if (!plan || plan.blockers.length > 0)
          fail('crash matrix', new Error('no runnable plan (see the migration test)'));
        /** Back to the exact baseline once add-on transitions settled (a reset, never a proof). */
        const reset = async () => {
          await s.sb.services.eks.settled();
          s.sb.restore(baseline);
        };
        // From the baseline whatever the migration test's rollback left.
        await reset();
        const store = new InMemoryMigrationStore();
        const counting = crasher(live, store, Infinity);
        const counted = await startMigration(
          plan!,
          'count',
          deps(counting.gateways, counting.store),
        );
        const undone = await rollbackMigration('count', deps(live, store));
        expect(counted.status).toBe('succeeded');
        expect(undone.status).toBe('rolled-back');
        const points = counting.calls.length;
        summary.crashPoints = points;
        const failures: string[] = [];
        // A rollback that is not exact even without a crash is the first finding; the matrix
        // still runs, each point from the exact baseline (`restore` only resets, it proves nothing).
        const d0 = s.sb.diff(baseline);
        if (d0.length)
          failures.push(
            `uncrashed run: after rollback ${d0.length} differences: ${d0
              .slice(0, 2)
              .map((x) => `${x.path} ${JSON.stringify(x.before)} -> ${JSON.stringify(x.after)}`)
              .join('; ')}`,
          );
        // Helm's own view after that rollback, then an upgrade with the same real chart.
        let helmSame = true;
        const afterCount = await helmView(s, c.release, c.namespace);
        if (JSON.stringify(afterCount) !== JSON.stringify(helmBefore)) {
          helmSame = false;
          failures.push(
            'uncrashed run: helm list/get values/get manifest/history differ after rollback',
          );
        }
        const up = await s.helm([
          'upgrade',
          c.release,
          chartDir,
          '-n',
          c.namespace,
          '--reuse-values',
          '--wait',
          '--timeout',
          '2m',
        ]);
        summary.reuseValuesUpgrade = up.code === 0 ? 'ok' : 'failed';
        if (up.code !== 0 || up.stderr)
          failures.push(`uncrashed run: helm upgrade --reuse-values: ${up.stderr.trim()}`);
        await reset();
        let worst = summary.rollbackDifferences ?? 0;
        const spent = { crash: 0, rollback: 0, resume: 0, check: 0, reset: 0 };
        let run = 0;
        const timed = async <T>(phase: keyof typeof spent, p: () => Promise<T>): Promise<T> => {
          const t0 = Date.now();
          try {
            return await p();
          } finally {
            spent[phase] += Date.now() - t0;
          }
        };
        for (let at = 1; at <= points; at++) {
          const where = `#${at} (${counting.calls[at - 1]})`;
          run = at;
          const before = { ...spent };
          // An exception at one point is that point's finding; the next points still run.
          try {
            const a = crasher(live, store, at);
            await timed('crash', () =>
              die(startMigration(plan!, `rb-${at}`, deps(a.gateways, a.store))),
            );
            const rb = await timed('rollback', () =>
              rollbackMigration(`rb-${at}`, afterCrash(live, store)),
            );
            if (rb.status !== 'rolled-back')
              failures.push(`${where}: rollback ${rb.status}: ${rb.message}`);
            const d1 = await timed('check', async () => s.sb.diff(baseline));
            worst = Math.max(worst, d1.length);
            if (d1.length)
              failures.push(
                `${where}: after rollback ${d1.length} differences, first ${d1[0]!.path}`,
              );
            const view = await timed('check', () => helmView(s, c.release, c.namespace));
            if (JSON.stringify(view) !== JSON.stringify(helmBefore)) {
              helmSame = false;
              failures.push(
                `${where}: helm list/get values/get manifest/history differ after rollback`,
              );
            }
            // Reset (not a proof): the next run starts from the exact baseline whatever the
            // rollback left.
            if (d1.length) await timed('reset', reset);
            const b = crasher(live, store, at);
            await timed('crash', () =>
              die(startMigration(plan!, `re-${at}`, deps(b.gateways, b.store))),
            );
            const re = await timed('resume', () =>
              resumeMigration(`re-${at}`, afterCrash(live, store)),
            );
            if (re.status !== 'succeeded')
              failures.push(`${where}: resume ${re.status}: ${re.message}`);
            else {
              const acc = await timed('check', () =>
                accountFor(s, live, plan!, objects, c, present),
              );
              if (acc.problems.length) failures.push(`${where}: resumed state: ${acc.problems[0]}`);
            }
          } catch (e) {
            failures.push(`${where}: ${e instanceof Error ? e.message : String(e)}`);
          }
          // The resumed run is not rolled back: the rollback was proved on its own above.
          await timed('reset', reset).catch((e: unknown) =>
            failures.push(`${where}: reset: ${e instanceof Error ? e.message : String(e)}`),
          );
          if (process.env.REAL_CHARTS_TRACE)
            process.stderr.write(
              `${new Date().toISOString()} ${c.id} ${where} ${Object.entries(spent)
                .map(
                  ([k, v]) => `${k} ${((v - before[k as keyof typeof spent]) / 1000).toFixed(2)}`,
                )
                .join(' ')}\n`,
            );
          if (failures.length > 10) break;
        }
        const total = Object.values(spent).reduce((x, y) => x + y, 0);
        summary.crashMatrixSeconds = Math.round(total / 1000);
        process.stdout.write(
          `real-charts ${c.id}: crash matrix ${run} of ${points} points in ${(total / 1000).toFixed(1)} s ` +
            `(${(total / Math.max(run, 1) / 1000).toFixed(2)} s a point; ${Object.entries(spent)
              .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
              .join(', ')})\n`,
        );
        summary.rollbackDifferences = worst;
        summary.helmViewAfterRollback = helmSame ? 'identical' : 'different';
        expect(failures).toEqual([]);
      },
      1_800_000,
    );
  });
}
