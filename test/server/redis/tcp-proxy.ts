/**
 * A TCP proxy in front of a redis-server for one client: `cut()` drops its connections and
 * refuses new ones (a network partition for that client only), `restore()` lets it back in.
 * `cut(name)` does so only for the connections that name themselves `name` (`CLIENT SETNAME`,
 * the first command ioredis sends on a named connection): one of a store's two connections.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  readonly url: string;
  /** Drops every connection and refuses new ones; with `name`, only the connections of that name. */
  cut(name?: string): void;
  /** Lets every connection back in; with `name`, lifts only `cut(name)`. */
  restore(name?: string): void;
  close(): Promise<void>;
}

/** The connection name in a client's first bytes (`CLIENT SETNAME name`), '' when it sets none. */
function nameIn(first: Buffer): string {
  return /setname\r\n\$\d+\r\n([^\r]*)\r\n/i.exec(first.toString('latin1'))?.[1] ?? '';
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  /** Each live socket (client side and upstream side) with the name of its client connection. */
  const sockets = new Map<Socket, string>();
  let open = true;
  const refused = new Set<string>();
  const server = createServer((client) => {
    if (!open) return void client.destroy();
    client.on('error', () => {});
    sockets.set(client, '');
    client.on('close', () => sockets.delete(client));
    // Which connection this is shows in its first bytes: only then is it let through (or not).
    client.once('data', (first: Buffer) => {
      const name = nameIn(first);
      if (!open || refused.has(name)) return void client.destroy();
      sockets.set(client, name);
      const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
      sockets.set(upstream, name);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => {});
      upstream.write(first);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const drop = (name?: string) => {
    for (const [s, n] of sockets) if (name === undefined || n === name) s.destroy();
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    cut(name) {
      if (name === undefined) open = false;
      else refused.add(name);
      drop(name);
    },
    restore(name) {
      if (name !== undefined) return void refused.delete(name);
      open = true;
      refused.clear();
    },
    close() {
      drop();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
