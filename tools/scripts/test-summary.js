// Prints jest's JSON results as the plain closing line CI reads: "N passed, N failed[, N skipped]", summed over every
// results file given (the full run, and the unit tests again under Node 24).
// Exits non-zero when nothing ran or a suite failed to run, so an empty run cannot pass.
const fs = require('node:fs');

let passed = 0;
let failed = 0;
let skipped = 0;
let brokenSuites = 0;
for (const file of process.argv.slice(2)) {
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + results.numTodoTests;
  brokenSuites += results.numRuntimeErrorTestSuites;
}
if (brokenSuites > 0) console.log(`${brokenSuites} test suite(s) failed to run`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || brokenSuites > 0 || passed === 0 ? 1 : 0);
