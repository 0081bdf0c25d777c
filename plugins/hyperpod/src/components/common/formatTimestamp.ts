/**
 * Timestamps as people read them: how long ago, in the reader's language, with the exact date and
 * time (with its zone) for a tooltip. The API's ISO 8601 strings stay in `dateTime` attributes for
 * machines; they are never the text. Pure, so every component words time the same way.
 */

export interface TimestampText {
  /** `3 minutes ago`, `yesterday`, `vor 2 Stunden`. */
  relative: string;
  /** `Dec 6, 2026, 6:51:24 AM UTC`, `06.12.2026, 07:51:24 MEZ`. */
  exact: string;
  /** The time of day, for entries of one run: `6:51:24 AM`, `07:51:24`. */
  clock: string;
}

export interface FormatTimestampOptions {
  /** Milliseconds since the epoch to count from; `Date.now()` by default. */
  now?: number;
  /** A BCP 47 tag; the reader's (the browser's) locale by default. */
  locale?: string;
  /** An IANA zone for the exact time; the reader's by default. */
  timeZone?: string;
  /** `short` for table cells: `3 min. ago`. */
  style?: 'long' | 'short';
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** A small clock skew between the backend and the browser still reads as now, not "in 3 seconds". */
const SKEW_MS = 60_000;

/** Both wordings of an ISO 8601 timestamp; `undefined` when it is not a date. */
export function formatTimestamp(
  iso: string,
  options: FormatTimestampOptions = {},
): TimestampText | undefined {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return undefined;
  const { locale, timeZone, style = 'long' } = options;
  const elapsed = (options.now ?? Date.now()) - at;
  const ago = elapsed < 0 && elapsed >= -SKEW_MS ? 0 : elapsed;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style });
  const [unit, size] = UNITS.find(([, ms]) => Math.abs(ago) >= ms) ?? ['second', 1000];
  const relative = rtf.format(-Math.trunc(ago / size), unit);
  const zone = timeZone ? { timeZone } : {};
  const exact = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'long',
    ...zone,
  }).format(at);
  const clock = new Intl.DateTimeFormat(locale, { timeStyle: 'medium', ...zone }).format(at);
  return { relative, exact, clock };
}
