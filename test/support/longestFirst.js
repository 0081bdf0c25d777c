/**
 * jest's order, except that the suites known to run longest start first, so on a fresh clone
 * (no timing cache yet) they do not start last and stretch the run. jest's default order sorts by
 * the last run's times when it has them, else by file size, which puts a short file that runs a
 * long case (the real umbrella's crash matrix) at the end.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads this file as CommonJS
const Sequencer = require('@jest/test-sequencer').default;

const LONGEST = ['/test/real-charts/umbrella.test.ts', '/test/real-charts/certManager.test.ts'];

class LongestFirst extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const i = LONGEST.findIndex((p) => t.path.endsWith(p));
      return i === -1 ? LONGEST.length : i;
    };
    const reorder = (list) =>
      list
        .map((t, i) => ({ t, i }))
        .sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i)
        .map(({ t }) => t);
    const sorted = super.sort(tests);
    return Array.isArray(sorted) ? reorder(sorted) : sorted.then(reorder);
  }
}

module.exports = LongestFirst;
