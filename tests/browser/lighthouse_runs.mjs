// Lighthouse on several pages in one Node process and one Chromium (tests/browser/test_lighthouse.py).
// The command-line tool starts Node, reads its configuration and launches a browser for every page
// (about 5 s each); here that is done once, and each page is still measured in a new tab with the
// cache and storage cleared, as the command-line tool measures it.
//
// node lighthouse_runs.mjs JOB   where JOB is JSON:
//   {"chromePath": ..., "chromeFlags": [...], "flags": {Lighthouse flags}, "runs": [{"url": ..., "outputPath": ...}]}
// Writes OUTPUTPATH.report.json and OUTPUTPATH.report.html for every run, as `lighthouse --output-path` does.
import fs from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const job = JSON.parse(process.argv[2]);
const chrome = await chromeLauncher.launch({chromePath: job.chromePath, chromeFlags: job.chromeFlags});
try {
  for (const run of job.runs) {
    const result = await lighthouse(run.url, {...job.flags, port: chrome.port, output: ['json', 'html']});
    if (!result) throw new Error(`Lighthouse returned nothing for ${run.url}`);
    const [json, html] = result.report;
    fs.writeFileSync(`${run.outputPath}.report.json`, json);
    fs.writeFileSync(`${run.outputPath}.report.html`, html);
  }
} finally {
  await chrome.kill();
}
