const { relative } = require('node:path');

/** The slowest ten tests, as "  12.3 s  file › test name" lines (pure, for the reporter's unit test). */
function slowestTests(tests, count = 10) {
  return [...tests]
    .sort((a, b) => b.duration - a.duration)
    .slice(0, count)
    .map((t) => `${(t.duration / 1000).toFixed(1).padStart(7)} s  ${t.file} › ${t.name}`);
}

/**
 * Ends the run with the slowest ten tests (so the suite's time is watched as it grows), then one plain
 * line CI can read: "tests: N passed, N failed".
 */
class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.tests = [];
  }

  onTestResult(_test, result) {
    const file = relative(this.rootDir, result.testFilePath);
    for (const t of result.testResults) this.tests.push({ file, name: t.fullName, duration: t.duration ?? 0 });
  }

  onRunComplete(_contexts, results) {
    const lines = slowestTests(this.tests);
    const wall = ((Date.now() - results.startTime) / 1000).toFixed(0);
    if (lines.length) process.stdout.write(`\nslowest ${lines.length} tests (run took ${wall} s):\n${lines.join('\n')}\n`);
    process.stdout.write(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed\n`);
  }
}
module.exports = SummaryReporter;
module.exports.slowestTests = slowestTests;
