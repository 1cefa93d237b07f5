// A TCP proxy for the end-to-end tests: forwards 127.0.0.1:<port> to a target and can cut every live
// connection at once, which is how a test drops a miner's socket mid-job without touching either side.

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';

/** Starts a proxy to `target` (an http URL); `url` is the proxy's http URL. */
export async function startTcpProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let drops = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    /** Cuts every live connection (both directions) without a close handshake. */
    dropAll(): void {
      drops += 1;
      for (const socket of sockets) socket.destroy();
    },
    get drops(): number {
      return drops;
    },
    async [Symbol.asyncDispose](): Promise<void> {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
