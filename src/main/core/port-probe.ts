/**
 * Whether the server's port is free, asked before the core creates anything (data folder,
 * database, lock): a start that cannot listen then leaves nothing behind.
 */
import { createServer } from 'node:net';
import { PortInUseError } from './core-types';

export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
