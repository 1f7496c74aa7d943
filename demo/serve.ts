/** `npm start` runs this after building: serves the demo on --port (default 8080). */
import { parseArgs } from 'node:util';
import { createDemoServer } from './server.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '8080' }, host: { type: 'string', default: '127.0.0.1' } } });
const demo = createDemoServer();
const { server } = demo;
server.on('error', (e: NodeJS.ErrnoException) => {
  console.error(e.code === 'EADDRINUSE' ? `Port ${values.port} is in use: try npm start -- --port 8081` : e.message);
  process.exit(1);
});
server.listen(Number(values.port), values.host, () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : values.port;
  console.log(`CEC Web Chat demo: http://${values.host}:${port}/`);
  console.log(`  /                  the mock contact center runs in the page (MSW service worker)`);
  console.log(`  /?mock=http        the widget talks to this server's mock over HTTP (shared by every tab)`);
  console.log(`  /?mock=connector   the widget talks to a connector, which talks the real CEC wire to this server's /cec face`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void demo.close().then(() => process.exit(0)));
