/**
 * What one real-chart case measured, written to test-results/real-charts/<id>.json
 * (docs/real-charts.md is generated from it by realChartsDoc.mjs), and the failure lines it keeps.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RealChartCase } from '../support/realChartCases';
import type { Accounting } from './accounting';

export interface RealChartSummary {
  id: string;
  chart: string;
  release: string;
  helm3: string;
  helm4: string;
  /** Objects of the release: manifest + hooks + crds/ (real helm and kubectl). */
  objectsRendered: number | null;
  objectsAccounted: number | null;
  accounting: Accounting['counts'] | null;
  crashPoints: number | null;
  /** Set when the crash matrix was left out (the umbrella with REAL_CHARTS_UMBRELLA=0). */
  crashMatrix?: string;
  /** Time the crash matrix took (crash runs, rollbacks, resumes, checks). */
  crashMatrixSeconds?: number;
  /** Worst sandbox snapshot difference count after a rollback (crash points and the clean run). */
  rollbackDifferences: number | null;
  helmViewAfterRollback: 'identical' | 'different' | null;
  reuseValuesUpgrade: 'ok' | 'failed' | null;
  failures: string[];
  seconds: number;
}

const RESULTS = resolve(__dirname, '../../test-results/real-charts');

/** The summary of case `c` before anything ran. */
export function newRealChartSummary(c: RealChartCase): RealChartSummary {
  return {
    id: c.id,
    chart: `${c.chartName} ${c.chartVersion}`,
    release: `${c.namespace}/${c.release}`,
    helm3: 'not run',
    helm4: 'not run',
    objectsRendered: null,
    objectsAccounted: null,
    accounting: null,
    crashPoints: null,
    rollbackDifferences: null,
    helmViewAfterRollback: null,
    reuseValuesUpgrade: null,
    failures: [],
    seconds: 0,
  };
}

/** Writes `data` as JSON to test-results/real-charts/<file>. */
export function writeRealChartResult(file: string, data: unknown): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, file), `${JSON.stringify(data, null, 2)}\n`);
}

/** A failed step's error as the summary keeps it: its first lines, colours and jest's diff frame stripped. */
export function failureLine(e: unknown): string {
  return (
    (e instanceof Error ? e.message : String(e))
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .map((l) => l.trim())
      .filter(
        (l) =>
          l &&
          !/^(Expected|Received)?:?$/.test(l) &&
          !/^[-+] (Expected|Received)\b/.test(l) &&
          !/^[-+]?\s*((Object|Array) [{[]\]?|[}\]],?)$/.test(l) &&
          !/^expect\(/.test(l),
      )
      .slice(0, 4)
      .join(' ')
  );
}
