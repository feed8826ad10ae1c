// Prints jest's JSON results as the plain closing line CI reads: "N passed, N failed[, N skipped]".
// Exits non-zero when nothing ran or a suite failed to run, so an empty run cannot pass.
const fs = require('node:fs');

const results = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const passed = results.numPassedTests;
const failed = results.numFailedTests;
const skipped = results.numPendingTests + results.numTodoTests;
const brokenSuites = results.numRuntimeErrorTestSuites;
if (brokenSuites > 0) console.log(`${brokenSuites} test suite(s) failed to run`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || brokenSuites > 0 || passed === 0 ? 1 : 0);
