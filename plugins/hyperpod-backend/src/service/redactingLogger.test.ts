import type { LoggerService } from '@backstage/backend-plugin-api';
import { redactingLogger } from './redactingLogger';

describe('redactingLogger', () => {
  it('redacts secrets in messages, string meta and errors, also of child loggers', () => {
    const lines: unknown[][] = [];
    const record =
      (level: string) =>
      (...args: unknown[]) =>
        lines.push([level, ...args]);
    const sink: LoggerService = {
      error: record('error'),
      warn: record('warn'),
      info: record('info'),
      debug: record('debug'),
      child: () => sink,
    };
    const logger = redactingLogger(sink);
    const url = 'postgres://app:Sup3r-S3cret-Pw@db.internal:5432/app';
    logger.warn(`update failed: configurationValues {"db":"${url}"}`);
    logger.child({ plugin: 'hyperpod' }).info('hook', {
      target: 'https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBBBB/abcdefghijklmnopqrstuvwx',
    });
    logger.error(
      'boom',
      new Error(`Bearer ${'eyJhbGciOiJIUzI1NiJ9'}.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig`),
    );
    const text = JSON.stringify(lines, (_k, v) => (v instanceof Error ? v.message : v));
    expect(text).not.toContain('Sup3r-S3cret-Pw');
    expect(text).not.toContain('abcdefghijklmnopqrstuvwx');
    expect(text).not.toContain('eyJzdWIiOiIxMjM0NTY3ODkwIn0');
    expect(text).toContain('db.internal:5432/app');
    expect(lines.map((l) => l[0])).toEqual(['warn', 'info', 'error']);
  });
});
