// `npm run size` (and part of npm test): the script-tag files against the budget in package.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { budgets, scriptTagSize, sizeOf } from './bench/sizes.mjs';

if (!existsSync('dist/cec-chat.esm.js')) execSync('npx rollup -c --silent', { stdio: 'inherit' });
const budget = budgets();
const tag = scriptTagSize();
// First open adds the panel chunk the widget module imports (an English page: no translation chunk).
const entry = readFileSync('dist/cec-chat.esm.js', 'utf8');
const panel = readdirSync('dist/chunks').filter((f) => f.startsWith('panel-') && entry.includes(f));
const open = sizeOf([...['dist/cec-chat.js', 'dist/cec-chat.esm.js'], ...panel.map((f) => `dist/chunks/${f}`)].map((f) => readFileSync(f)));
const line = (name, s, max) => `${name}: ${s.raw} B raw, ${s.gzip} B gzip, ${s.brotli} B brotli (budget ${max} B brotli) ${s.brotli <= max ? 'OK' : 'OVER'}`;
console.log(line('script tag (cec-chat.js + cec-chat.esm.js)', tag, budget.scriptTagBrotli));
console.log(line('first open (+ panel chunk)', open, budget.firstOpenBrotli));
if (tag.brotli > budget.scriptTagBrotli || open.brotli > budget.firstOpenBrotli) {
  console.error('The widget grew past its size budget (package.json "sizeBudget").');
  process.exit(1);
}
