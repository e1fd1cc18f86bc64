import { describe, expect, it } from 'vitest';
import { applyContextTags, contextTags } from '../../../src/main/pipeline/normalize/context-tags';
import type { SentryEvent } from '../../../src/shared/event';

describe('contextTags: Sentry’s context → tag promotion', () => {
  it('reads the fields each context type promotes, named after the context’s key', () => {
    expect(
      contextTags({
        browser: { type: 'browser', name: 'Chrome', version: '120.0.0' },
        os: { type: 'os', name: 'Android', version: '14', rooted: false },
        device: { type: 'device', family: 'Pixel', model: 'Pixel 7' },
        runtime: { type: 'runtime', name: 'node', version: 'v20.20.2' },
        gpu: { type: 'gpu', name: 'Mali-G710', vendor_name: 'ARM' },
        phone: { type: 'device', model: 'iPhone15,2' },
        trace: { type: 'trace', trace_id: 'abc' },
      }),
    ).toEqual([
      ['browser', 'Chrome 120.0.0'],
      ['browser.name', 'Chrome'],
      ['os', 'Android 14'],
      ['os.name', 'Android'],
      ['os.rooted', 'no'],
      ['device', 'Pixel 7'],
      ['device.family', 'Pixel'],
      ['runtime', 'node v20.20.2'],
      ['runtime.name', 'node'],
      ['gpu.name', 'Mali-G710'],
      ['gpu.vendor', 'ARM'],
      ['phone', 'iPhone15,2'],
    ]);
  });

  it('prefers the summary relay computed, and needs a runtime version for the runtime tag', () => {
    expect(
      contextTags({
        os: { type: 'os', os: 'Windows 11', name: 'Windows', version: '10.0.22631' },
        runtime: { type: 'runtime', name: 'CPython' },
      }),
    ).toEqual([
      ['os', 'Windows 11'],
      ['os.name', 'Windows'],
      ['runtime.name', 'CPython'],
    ]);
  });

  it('skips empty, multi-line and non-scalar values', () => {
    expect(contextTags({ browser: { type: 'browser', name: '  ', version: '1' }, device: { type: 'device', model: 'a\nb', family: { x: 1 } } })).toEqual([]);
  });
});

describe('applyContextTags', () => {
  it('replaces an SDK tag of the same name and keeps the others in order', () => {
    const event: SentryEvent = {
      event_id: '9ec79c33ec9942ab8353589fcb2e04dc',
      timestamp: 1,
      received: 1,
      platform: 'javascript',
      level: 'error',
      tags: [
        ['browser', 'mine'],
        ['feature', 'checkout'],
      ],
      contexts: { browser: { type: 'browser', name: 'Firefox', version: '121.0' } },
    };
    applyContextTags(event);
    expect(event.tags).toEqual([
      ['feature', 'checkout'],
      ['browser', 'Firefox 121.0'],
      ['browser.name', 'Firefox'],
    ]);
  });
});
