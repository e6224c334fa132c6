#!/usr/bin/env node
// Runs the compiled CLI; `npm install` builds it (the package's `prepare` script).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('tributary: not built yet; run `npm install` (or `npm run build`) first\n');
  process.exit(1);
}
require(entry).main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`tributary: ${err?.message ? err.message : err}\n`);
  process.exit(1);
});
