import { describe, expect, it } from 'vitest';
import { dsnForPage } from '../../../src/renderer/lib/dsn';

const page = (url: string) => {
  const { protocol, host, hostname } = new URL(url);
  return { protocol, host, hostname };
};
const DSN = 'http://0123456789abcdef0123456789abcdef@127.0.0.1:8969/2';

describe('DSNs as the page shows them', () => {
  it('names the address the page was loaded from when that is not loopback (another machine)', () => {
    expect(dsnForPage(DSN, page('http://192.168.1.20:8969/#/projects'))).toBe('http://0123456789abcdef0123456789abcdef@192.168.1.20:8969/2');
    expect(dsnForPage(DSN, page('http://devbox.lan:8969/'))).toBe('http://0123456789abcdef0123456789abcdef@devbox.lan:8969/2');
    expect(dsnForPage(DSN, page('http://[fd00::5]:8969/'))).toBe('http://0123456789abcdef0123456789abcdef@[fd00::5]:8969/2');
  });

  it('leaves the DSN alone on this machine and outside a web page', () => {
    expect(dsnForPage(DSN, page('http://127.0.0.1:8969/'))).toBe(DSN);
    expect(dsnForPage(DSN, page('http://localhost:8969/'))).toBe(DSN);
    expect(dsnForPage(DSN, page('http://[::1]:8969/'))).toBe(DSN);
    expect(dsnForPage(DSN, { protocol: 'file:', host: '', hostname: '' })).toBe(DSN);
  });

  it('keeps a DSN that already names a non-loopback host', () => {
    const lan = 'http://key@10.0.0.4:8969/1';
    expect(dsnForPage(lan, page('http://192.168.1.20:8969/'))).toBe(lan);
  });
});
