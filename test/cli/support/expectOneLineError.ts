import type { CliResult } from './runCli';

/**
 * The CLI's failure shape: nothing on stdout, two lines on stderr (`error:` what went wrong, then
 * `try:` the fix), and the exit code of the table.
 */
export function expectOneLineError(r: CliResult, code: number, error: RegExp, fix: RegExp): void {
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(error);
  expect(lines[1]).toMatch(/^try: /);
  expect(lines[1]).toMatch(fix);
  expect(r.code).toBe(code);
}
