// `npm start`: installs dependencies when missing, builds, and serves the demo.
import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
if (!existsSync('node_modules/.package-lock.json')) run('npm ci --no-audit --no-fund');
run('npm run build --silent');
const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'demo/serve.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
