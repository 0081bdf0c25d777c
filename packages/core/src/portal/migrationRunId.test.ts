import { MIGRATION_RUN_ID } from '../ports/MigrationStore';
import { formatMigrationRunId } from './migrationRunId';

const NOW = new Date('2026-12-06T07:01:02.345Z');
const hex = (n: number) => n.toString(16).padStart(2, '0').repeat(16);

describe('formatMigrationRunId', () => {
  it('keeps the cluster and time readable and carries all 128 random bits', () => {
    const id = formatMigrationRunId('ml-research-usw2', NOW, 'ffffffffffffffffffffffffffffffff');
    expect(id).toMatch(/^ml-research-usw2-20261206-070102-[0-9a-z]{25}$/);
    expect(id.endsWith((2n ** 128n - 1n).toString(36))).toBe(true);
    expect(MIGRATION_RUN_ID.test(id)).toBe(true);
  });

  it('gives different ids for different randomness, even in the same second', () => {
    const ids = new Set(
      Array.from({ length: 256 }, (_, i) => formatMigrationRunId('c', NOW, hex(i))),
    );
    expect(ids.size).toBe(256);
  });

  it('shortens long or odd cluster names to fit 63 characters', () => {
    const id = formatMigrationRunId(
      'A'.repeat(100) + '_x',
      NOW,
      '0123456789abcdef0123456789abcdef',
    );
    expect(id.length).toBeLessThanOrEqual(63);
    expect(MIGRATION_RUN_ID.test(id)).toBe(true);
    expect(formatMigrationRunId('---', NOW, hex(1))).toMatch(/^run-20261206-070102-/);
  });

  it('refuses too little randomness', () => {
    expect(() => formatMigrationRunId('c', NOW, 'abcd')).toThrow(/32 random hex digits/);
  });
});
