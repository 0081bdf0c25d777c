/**
 * A point in time as a `<time>` element: how long ago as its text (or the time of day, for the
 * entries of one run, or the exact date and time, for a history whose entries are minutes apart),
 * the exact date and time as its title, the ISO string as its `dateTime`.
 */
import { formatTimestamp, type FormatTimestampOptions } from './formatTimestamp';

export function Timestamp(
  props: { iso: string; show?: 'relative' | 'clock' | 'exact' } & FormatTimestampOptions,
) {
  const { iso, show = 'relative', ...options } = props;
  const text = formatTimestamp(iso, options);
  // Not a date: say what the backend said rather than nothing.
  if (!text) return <time>{iso}</time>;
  return (
    <time dateTime={iso} title={text.exact}>
      {text[show]}
    </time>
  );
}
