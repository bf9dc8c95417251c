const Sequencer = require('@jest/test-sequencer').default;

/**
 * The suites that take longest, by what they do: axe sweeps and other browser pages, service
 * processes killed and restarted, the CLI's own processes. On a clean clone (CI) Jest knows no
 * durations and starts the smallest files last by size, and the accessibility sweeps, small files
 * that run for minutes, used to start last and finish alone. These start first, in this order.
 */
const FIRST = [/web-a11y-/, /replicas\.e2e/, /(^|\/)cli(-report)?\.e2e/, /web-report\.e2e/, /crash\.e2e/, /\/web-[^/]*\.e2e/, /publishing\.e2e/];

const rank = (path) => {
  const i = FIRST.findIndex((re) => re.test(path));
  return i === -1 ? FIRST.length : i;
};

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    // Jest's own order (failed first, then known durations, then size) within each rank.
    const known = super.sort(tests);
    return known.map((test, i) => ({ test, i })).sort((a, b) => rank(a.test.path) - rank(b.test.path) || a.i - b.i).map((x) => x.test);
  }
}

module.exports = LongestFirstSequencer;
