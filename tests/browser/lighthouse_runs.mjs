// Lighthouse on several pages in one Node process and one Chromium (tests/browser/test_lighthouse.py).
// The command-line tool starts Node, reads its configuration and launches a browser for every page
// (about 5 s each); here that is done once, and each page is still measured in a new tab with the
// cache and storage cleared, as the command-line tool measures it.
//
// Loading the pages (what the scores are measured from) is split from scoring them, as the command-line
// tool's -G and -A do (the flags gatherMode and auditMode): under pytest-xdist only the loading needs the
// machine to itself, so the test says when:
//
// node lighthouse_runs.mjs JOB   where JOB is JSON:
//   {"chromePath": ..., "chromeFlags": [...], "flags": {Lighthouse flags}, "runs": [{"url": ..., "outputPath": ...}]}
// 1. launches Chromium and prints "ready";
// 2. waits for the line "gather" on its input, loads every page (artifacts in OUTPUTPATH.artifacts/), prints "gathered";
// 3. scores every page from its artifacts and writes OUTPUTPATH.report.json and OUTPUTPATH.report.html, as
//    `lighthouse --output-path` does.
import fs from 'node:fs';
import readline from 'node:readline';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const job = JSON.parse(process.argv[2]);
const input = readline.createInterface({input: process.stdin})[Symbol.asyncIterator]();

async function expect(word) {
  const {value, done} = await input.next();
  if (done || value.trim() !== word) throw new Error(`expected "${word}" on the input, got ${done ? 'its end' : JSON.stringify(value)}`);
}

const chrome = await chromeLauncher.launch({chromePath: job.chromePath, chromeFlags: job.chromeFlags});
try {
  console.log('ready');
  await expect('gather');
  for (const run of job.runs) {
    await lighthouse(run.url, {...job.flags, port: chrome.port, gatherMode: `${run.outputPath}.artifacts`});
  }
  console.log('gathered');
} finally {
  await chrome.kill();
}
for (const run of job.runs) {
  const artifacts = `${run.outputPath}.artifacts`;
  const result = await lighthouse(run.url, {...job.flags, auditMode: artifacts, output: ['json', 'html']});
  if (!result) throw new Error(`Lighthouse returned nothing for ${run.url}`);
  const [json, html] = result.report;
  fs.writeFileSync(`${run.outputPath}.report.json`, json);
  fs.writeFileSync(`${run.outputPath}.report.html`, html);
  fs.rmSync(artifacts, {recursive: true});
}
