import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../../src/main/pipeline/normalize';
import { contextsFromHeaders, userAgentHeaders } from '../../../src/main/pipeline/normalize/user-agent';
import type { SentryEvent } from '../../../src/shared/event';

const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1';
const EDGE_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91';
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';

function normalized(raw: Record<string, unknown>): SentryEvent {
  const result = normalizeEvent({ event_id: '9ec79c33ec9942ab8353589fcb2e04dc', ...raw }, { receivedAt: 1_764_100_000 });
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

/** A browser SDK event: platform javascript, the page's User-Agent in request.headers. */
function browserEvent(userAgent: string, extra: Record<string, unknown> = {}): SentryEvent {
  return normalized({ platform: 'javascript', request: { url: 'https://shop.test/cart', headers: { 'User-Agent': userAgent } }, ...extra });
}

describe('contexts from a browser SDK event’s User-Agent', () => {
  it.each([
    [
      'Chrome on Windows',
      CHROME_WINDOWS,
      { browser: { type: 'browser', name: 'Chrome', version: '120.0.0' }, os: { type: 'os', name: 'Windows', version: '>=10' } },
    ],
    [
      'Firefox on Linux',
      FIREFOX_LINUX,
      { browser: { type: 'browser', name: 'Firefox', version: '121.0' }, os: { type: 'os', name: 'Linux' } },
    ],
    [
      'Safari on an iPhone',
      SAFARI_IPHONE,
      {
        browser: { type: 'browser', name: 'Mobile Safari', version: '17.1.2' },
        os: { type: 'os', name: 'iOS', version: '17.1.2' },
        device: { type: 'device', family: 'iPhone', model: 'iPhone', brand: 'Apple' },
      },
    ],
    [
      'Edge on Windows',
      EDGE_WINDOWS,
      { browser: { type: 'browser', name: 'Edge', version: '120.0.2210' }, os: { type: 'os', name: 'Windows', version: '>=10' } },
    ],
    [
      'Chrome on a Mac (relay’s OS name, frozen version marked)',
      CHROME_MAC,
      {
        browser: { type: 'browser', name: 'Chrome', version: '120.0.0' },
        os: { type: 'os', name: 'Mac OS X', version: '>=10.15.7' },
        device: { type: 'device', family: 'Macintosh', model: 'Macintosh', brand: 'Apple' },
      },
    ],
    [
      'Chrome on an Android phone',
      CHROME_ANDROID,
      {
        browser: { type: 'browser', name: 'Chrome', version: '120.0.6099' },
        os: { type: 'os', name: 'Android', version: '14' },
        device: { type: 'device', family: 'SM-S918B', model: 'SM-S918B', brand: 'Samsung' },
      },
    ],
  ])('%s', (_name, userAgent, contexts) => {
    expect(browserEvent(userAgent).contexts).toEqual(contexts);
  });

  it('adds nothing for a User-Agent that names no browser, OS or device (curl)', () => {
    const event = browserEvent('curl/8.5.0');
    expect(event.contexts).toBeUndefined();
    expect(event.tags).toBeUndefined();
  });

  it('adds nothing without a User-Agent', () => {
    const event = normalized({ platform: 'javascript', request: { url: 'https://shop.test/', headers: { Accept: 'text/html' } } });
    expect(event.contexts).toBeUndefined();
  });

  it('promotes the contexts to the tags Sentry shows and searches', () => {
    expect(browserEvent(SAFARI_IPHONE, { tags: { feature: 'checkout' } }).tags).toEqual([
      ['feature', 'checkout'],
      ['browser', 'Mobile Safari 17.1.2'],
      ['browser.name', 'Mobile Safari'],
      ['device', 'iPhone'],
      ['device.family', 'iPhone'],
      ['os', 'iOS 17.1.2'],
      ['os.name', 'iOS'],
    ]);
  });
});

describe('contexts the SDK sent', () => {
  it('are left exactly as sent; only the missing ones are filled', () => {
    const sent = {
      browser: { name: 'MyWebView', version: '3' },
      os: { name: 'ChromeOS', version: '120', kernel_version: '6.1' },
    };
    const event = browserEvent(CHROME_ANDROID, { contexts: sent });
    expect(event.contexts).toEqual({
      browser: { type: 'browser', name: 'MyWebView', version: '3' },
      os: { type: 'os', name: 'ChromeOS', version: '120', kernel_version: '6.1' },
      device: { type: 'device', family: 'SM-S918B', model: 'SM-S918B', brand: 'Samsung' },
    });
    expect(event.tags).toEqual([
      ['browser', 'MyWebView 3'],
      ['browser.name', 'MyWebView'],
      ['os', 'ChromeOS 120'],
      ['os.name', 'ChromeOS'],
      ['device', 'SM-S918B'],
      ['device.family', 'SM-S918B'],
    ]);
  });

  it('a context present under the name counts as sent, whatever it holds', () => {
    const event = browserEvent(CHROME_WINDOWS, { contexts: { browser: { custom: 'yes' }, os: { type: 'os' } } });
    expect(event.contexts).toEqual({ browser: { type: 'browser', custom: 'yes' }, os: { type: 'os' } });
    expect(event.tags).toBeUndefined();
  });
});

describe('server SDK events (the end user’s browser in the recorded request)', () => {
  it('puts the browser’s OS in client_os and keeps the server’s own os context', () => {
    const event = normalized({
      platform: 'node',
      request: { method: 'GET', url: 'http://api.test/orders', headers: { host: 'api.test', 'user-agent': FIREFOX_LINUX } },
      contexts: { os: { name: 'Linux', kernel_version: '6.1.0' }, runtime: { name: 'node', version: 'v20.20.2' } },
    });
    expect(event.contexts).toEqual({
      os: { type: 'os', name: 'Linux', kernel_version: '6.1.0' },
      runtime: { type: 'runtime', name: 'node', version: 'v20.20.2' },
      browser: { type: 'browser', name: 'Firefox', version: '121.0' },
      client_os: { type: 'os', name: 'Linux' },
    });
    expect(event.tags).toEqual([
      ['os', 'Linux'],
      ['os.name', 'Linux'],
      ['runtime', 'node v20.20.2'],
      ['runtime.name', 'node'],
      ['browser', 'Firefox 121.0'],
      ['browser.name', 'Firefox'],
      ['client_os', 'Linux'],
      ['client_os.name', 'Linux'],
    ]);
  });
});

describe('client hints', () => {
  it('win over the User-Agent, as in relay', () => {
    const headers = userAgentHeaders([
      ['User-Agent', CHROME_MAC],
      ['Sec-Ch-Ua', '"Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"'],
      ['Sec-Ch-Ua-Platform', '"macOS"'],
      ['Sec-Ch-Ua-Platform-Version', '"14.2.0"'],
      ['Sec-Ch-Ua-Model', '""'],
    ]);
    expect(headers && contextsFromHeaders(headers)).toEqual({
      browser: { type: 'browser', name: 'Google Chrome', version: '120' },
      os: { type: 'os', name: 'macOS', version: '14.2.0' },
      // An empty model hint says nothing: the device comes from the User-Agent.
      device: { type: 'device', family: 'Macintosh', model: 'Macintosh', brand: 'Apple' },
    });
  });

  it('fall back to the User-Agent when the brands name only the engine', () => {
    const headers = userAgentHeaders([
      ['sec-ch-ua', '"Not:A-Brand";v="8", "Chromium";v="156"'],
      ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36'],
    ]);
    expect(headers && contextsFromHeaders(headers)).toEqual({
      browser: { type: 'browser', name: 'Chrome Headless', version: '156.0.0' },
      os: { type: 'os', name: 'Linux' },
    });
  });

  it('give a device from the model hint alone', () => {
    const headers = userAgentHeaders([['Sec-CH-UA-Model', ' "Pixel 7" ']]);
    expect(headers && contextsFromHeaders(headers)).toEqual({ device: { type: 'device', model: 'Pixel 7' } });
  });
});

describe('memoized parsing', () => {
  it('hands each caller its own contexts', () => {
    const headers = { userAgent: CHROME_WINDOWS };
    const first = contextsFromHeaders(headers);
    if (first.browser) first.browser['name'] = 'changed';
    expect(contextsFromHeaders(headers).browser).toEqual({ type: 'browser', name: 'Chrome', version: '120.0.0' });
  });
});

describe('odd headers', () => {
  it('ignores header names that are Object prototype keys and reads only the start of a huge User-Agent', () => {
    expect(userAgentHeaders([['constructor', 'x'], ['__proto__', 'y']])).toBeUndefined();
    const huge = `${CHROME_WINDOWS} ${'x'.repeat(10_000)}`;
    expect(userAgentHeaders([['User-Agent', huge]])).toEqual({ userAgent: huge.slice(0, 500) });
    expect(browserEvent(huge).contexts?.['browser']).toEqual({ type: 'browser', name: 'Chrome', version: '120.0.0' });
  });
});
