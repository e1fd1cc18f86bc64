import { describe, expect, it } from 'vitest';
import { nodeModuleName } from '../../../src/main/pipeline/stack-parsers/node-module';
import { buildSentryEvent } from '../../../src/main/ingest/otlp/build-event';
import type { ExceptionOccurrence } from '../../../src/main/ingest/otlp/find-exceptions';
import { groupEvent } from '../../../src/main/pipeline/grouping';
import { normalizeEvent } from '../../../src/main/pipeline/normalize';

describe('the module @sentry/node gives a frame', () => {
  it('is relative to the app root, by package for dependencies, else the file name', () => {
    expect(nodeModuleName('/home/dev/shop/app.js', '/home/dev/shop')).toBe('app');
    expect(nodeModuleName('/home/dev/shop/lib/orders/total.cjs', '/home/dev/shop/')).toBe('lib.orders:total');
    expect(nodeModuleName('/home/dev/shop/node_modules/express/lib/router/index.js', '/home/dev/shop')).toBe('express.lib.router:index');
    expect(nodeModuleName('/srv/other/util.mjs', '/home/dev/shop')).toBe('util');
    expect(nodeModuleName('/home/dev/shop/lib/orders.js', undefined)).toBe('orders');
    expect(nodeModuleName('node:internal/modules/cjs/loader', '/home/dev/shop')).toBe('loader');
    expect(nodeModuleName('C:\\Users\\dev\\shop\\lib\\cart.js', 'C:\\Users\\dev\\shop')).toBe('lib:cart');
    expect(nodeModuleName('/home/dev/shop/my%20file.js', '/home/dev/shop')).toBe('my file');
  });
});

describe('OpenTelemetry exceptions from Node', () => {
  const stack = [
    'Error: SKU 42 out of stock',
    '    at inventoryLookup (/home/dev/shop/app.js:12:11)',
    '    at reserve (/home/dev/shop/lib/stock.js:5:3)',
    '    at Layer.handle (/home/dev/shop/node_modules/express/lib/router/layer.js:95:5)',
  ].join('\n');
  const occurrence = (resource: Record<string, string>): ExceptionOccurrence => ({
    signal: 'traces',
    resource: { 'service.name': 'shop', 'telemetry.sdk.language': 'nodejs', ...resource },
    scope: { name: 'manual' },
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: '',
    timeUnixNano: '1795635019357719763',
    exception: { type: 'Error', message: 'SKU 42 out of stock', stacktrace: stack },
    attributes: {},
    breadcrumbs: [],
    itemIndex: 0,
  });
  const culprit = (resource: Record<string, string>): string => {
    const normalized = normalizeEvent(buildSentryEvent(occurrence(resource), 1795635020), { receivedAt: 1795635020 });
    if (!normalized.ok) throw new Error(normalized.reason);
    return groupEvent(normalized.event, { rules: [] }).culprit;
  };

  it('name their culprit relative to the entry script’s folder, as the Node SDK does', () => {
    expect(culprit({ 'process.command': '/home/dev/shop/app.js' })).toBe('inventoryLookup(app)');
  });

  it('without process.command, by file name: never an absolute path', () => {
    expect(culprit({})).toBe('inventoryLookup(app)');
  });
});
