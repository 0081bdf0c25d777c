import { formatTimestamp } from './formatTimestamp';

const NOW = Date.parse('2026-12-06T06:51:24.468Z');
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();

describe('formatTimestamp', () => {
  const en = (iso: string, style?: 'short') =>
    formatTimestamp(iso, { now: NOW, locale: 'en-US', timeZone: 'UTC', style })?.relative;

  it('says how long ago in the largest whole unit', () => {
    expect(en(at(0))).toBe('now');
    expect(en(at(12_000))).toBe('12 seconds ago');
    expect(en(at(60_000))).toBe('1 minute ago');
    expect(en(at(4 * 60_000 + 59_000))).toBe('4 minutes ago');
    expect(en(at(2 * 3_600_000 + 1))).toBe('2 hours ago');
    expect(en(at(86_400_000))).toBe('yesterday');
    expect(en(at(3 * 86_400_000))).toBe('3 days ago');
    expect(en(at(15 * 86_400_000))).toBe('2 weeks ago');
    expect(en(at(400 * 86_400_000))).toBe('last year');
  });

  it('is short for table cells', () => {
    expect(en(at(4 * 60_000), 'short')).toBe('4 min. ago');
    expect(en(at(3 * 3_600_000), 'short')).toBe('3 hr. ago');
  });

  it('reads a timestamp slightly ahead of the clock as now, one far ahead as future', () => {
    expect(en(at(-20_000))).toBe('now');
    expect(en(at(-60_000))).toBe('now');
    expect(en(at(-2 * 3_600_000))).toBe('in 2 hours');
  });

  it("speaks the reader's language, with the exact time and zone for the tooltip", () => {
    expect(
      formatTimestamp('2026-12-06T06:51:24.468Z', { now: NOW, locale: 'en-US', timeZone: 'UTC' }),
    ).toEqual({
      relative: 'now',
      exact: 'Dec 6, 2026, 6:51:24 AM UTC',
      clock: '6:51:24 AM',
    });
    expect(
      formatTimestamp(at(2 * 3_600_000), { now: NOW, locale: 'de-DE', timeZone: 'Europe/Berlin' }),
    ).toEqual({
      relative: 'vor 2 Stunden',
      exact: '06.12.2026, 05:51:24 MEZ',
      clock: '05:51:24',
    });
    expect(
      formatTimestamp('2026-12-06T06:51:24.468Z', { now: NOW, locale: 'en-GB', timeZone: 'UTC' })
        ?.exact,
    ).toBe('6 Dec 2026, 06:51:24 UTC');
  });

  it('never shows the ISO string itself', () => {
    const text = formatTimestamp(at(90_000), { now: NOW })!;
    expect(`${text.relative} ${text.exact} ${text.clock}`).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('leaves what is not a date to the caller', () => {
    expect(formatTimestamp('not a date', { now: NOW })).toBeUndefined();
  });
});
