/**
 * `helm install --wait` of a real-chart case as a customer runs it, with helm's OpenAPI validation
 * on (the sandbox serves /openapi/v2 and /openapi/v3): a validation failure fails the install.
 */
import type { RealChartCase } from '../support/realChartCases';
import type { RealChartSandbox } from '../support/realChartSandbox';

export async function helmInstall(
  c: RealChartCase,
  chartDir: string,
  t: RealChartSandbox,
  file: string,
  v4: boolean,
): Promise<{ installed: boolean; error?: string; note: string }> {
  await c.prepare?.(t);
  const r = await t.helm(
    [
      'install',
      c.release,
      chartDir,
      '-n',
      c.namespace,
      '--create-namespace',
      '-f',
      file,
      '--wait',
      '--timeout',
      '90s',
    ],
    { v4 },
  );
  if (r.code === 0) return { installed: true, note: 'installed' };
  const error = r.stderr.trim();
  return { installed: false, error, note: `failed: ${error.split('\n')[0]!}` };
}
