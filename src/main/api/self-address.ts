/** Every address this process answers on: an upstream DSN pointing there would be a forwarding loop. */
import { networkInterfaces } from 'node:os';
import type { ServerInfo } from '../../shared/api';
import type { SelfAddress } from '../forwarding/upstream-dsn';

export function selfAddress(info: Pick<ServerInfo, 'host' | 'port' | 'otlpPort'>): SelfAddress {
  const hosts = [info.host];
  for (const addresses of Object.values(networkInterfaces())) for (const address of addresses ?? []) hosts.push(address.address);
  return { hosts, ports: [info.port, ...(info.otlpPort === null ? [] : [info.otlpPort])] };
}
