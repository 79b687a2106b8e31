import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';

/** listenOnLoopback starts `server` on 127.0.0.1 on a free port and returns the port. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** closeServer stops listening and drops kept-alive connections, so stop() never waits on a client. */
export function closeServer(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
