/** Finds a port nobody listens on, to offer when the configured one is taken. */
import { createServer } from 'node:net';

const PORTS_TO_TRY = 50;

export async function findFreePort(from: number, host = '127.0.0.1'): Promise<number> {
  for (let port = from; port < from + PORTS_TO_TRY && port <= 65_535; port += 1) {
    if (await isFree(port, host)) return port;
  }
  // Nothing free nearby: let the OS pick one.
  return listenOnce(0, host);
}

async function isFree(port: number, host: string): Promise<boolean> {
  try {
    await listenOnce(port, host);
    return true;
  } catch {
    return false;
  }
}

function listenOnce(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}
