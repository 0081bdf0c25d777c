/**
 * "Did you mean": the known word nearest to what was typed. Loads nothing, so that the launcher
 * (dist/launcher.js, unbundled) can require it beside itself as well as the bundled commands
 * (through validateNames.ts).
 */

/** The known value nearest to `input` (edit distance, ignoring case), for "did you mean". */
export function closest(
  input: string,
  known: readonly string[],
  /** Farther than this is no guess; default: 3, or half the input's length. */
  maxDistance = Math.max(3, Math.floor(input.length / 2)),
): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(input.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= maxDistance ? best : undefined;
}

/** Levenshtein distance: single-character insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        prev[j]! + 1,
        row[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length]!;
}
