import { describe, expect, it } from 'vitest';
import { crumbMessage, filterCrumbs, breadcrumbViews } from '../../../src/renderer/lib/breadcrumbs';

describe('breadcrumb one-line message', () => {
  it('an http request without a message reads "METHOD url [status]", as in Sentry', () => {
    expect(crumbMessage({ category: 'fetch', data: { method: 'POST', url: '/api/cart', status_code: 200 } })).toBe('POST /api/cart [200]');
    expect(crumbMessage({ category: 'xhr', type: 'http', data: { method: 'get', url: 'https://x.test/a?b=1', status_code: 404 } })).toBe(
      'GET https://x.test/a?b=1 [404]',
    );
    expect(crumbMessage({ type: 'http', category: 'httplib', data: { method: 'DELETE', url: '/items/3' } })).toBe('DELETE /items/3');
    expect(crumbMessage({ category: 'http', data: { url: '/health', status_code: 503 } })).toBe('/health [503]');
  });

  it('a message wins; crumbs without a url or of another kind have none', () => {
    expect(crumbMessage({ category: 'fetch', message: 'custom', data: { method: 'GET', url: '/x', status_code: 200 } })).toBe('custom');
    expect(crumbMessage({ category: 'fetch', data: { method: 'GET' } })).toBeNull();
    expect(crumbMessage({ category: 'navigation', data: { from: '/a', to: '/b' } })).toBeNull();
    expect(crumbMessage({ category: 'console', message: 'hi' })).toBe('hi');
  });

  it('the breadcrumb search finds a request by its summary', () => {
    const views = breadcrumbViews(
      { event_id: 'e', timestamp: 10, received: 10, platform: 'javascript', level: 'error', breadcrumbs: { values: [{ timestamp: 9, category: 'fetch', data: { method: 'POST', url: '/api/cart', status_code: 500 } }] } },
      'Error',
    );
    expect(filterCrumbs(views, '', '', 'post /api/cart [500]').map((v) => v.isEvent)).toEqual([false, true]);
  });
});

describe('the event as the last breadcrumb', () => {
  const base = { event_id: 'e', timestamp: 10, received: 10, platform: 'node', breadcrumbs: { values: [{ timestamp: 9, message: 'started' }] } };

  it('is an "exception" for an error event', () => {
    const views = breadcrumbViews({ ...base, level: 'error', exception: { values: [{ type: 'TypeError', value: 'x' }] } }, 'TypeError: x');
    expect(views.at(-1)).toMatchObject({ isEvent: true, category: 'exception', kind: 'error' });
  });

  it('is a "message" for a message event, with or without a stack attached', () => {
    const plain = breadcrumbViews({ ...base, level: 'info', message: 'checkout slow' }, 'checkout slow');
    expect(plain.at(-1)).toMatchObject({ isEvent: true, category: 'message', kind: 'default', level: 'info' });
    const withStack = breadcrumbViews(
      {
        ...base,
        level: 'warning',
        message: 'checkout slow',
        exception: { values: [{ value: 'checkout slow', mechanism: { type: 'generic', synthetic: true }, stacktrace: { frames: [{ function: 'pay', filename: 'app.js' }] } }] },
      },
      'checkout slow',
    );
    expect(withStack.at(-1)).toMatchObject({ isEvent: true, category: 'message' });
  });
});
