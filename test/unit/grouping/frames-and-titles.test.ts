import { describe, expect, it } from 'vitest';
import { contributingLeaves } from '../../../src/main/pipeline/grouping/components';
import { GROUPING_CONFIG, groupEvent } from '../../../src/main/pipeline/grouping/index';
import type { ExceptionValue, SentryEvent, StackFrame } from '../../../src/shared/event';
import type { GroupingComponent, GroupingResult } from '../../../src/shared/grouping';

function errorEvent(platform: string, frames: StackFrame[], exception: Partial<ExceptionValue> = {}): SentryEvent {
  return {
    event_id: 'b'.repeat(32),
    timestamp: 1,
    received: 1,
    platform,
    level: 'error',
    exception: { values: [{ type: 'Error', value: 'boom', stacktrace: { frames }, ...exception }] },
  };
}

const variant = (result: GroupingResult, key: string) => result.variants.find((candidate) => candidate.key === key);
const leaves = (result: GroupingResult, key: string): string[] => {
  const component = variant(result, key)?.component;
  return component ? contributingLeaves(component).map(({ id, value }) => `${id}=${value}`) : [];
};

function findAll(component: GroupingComponent | undefined, id: string): GroupingComponent[] {
  if (!component) return [];
  const own = component.id === id ? [component] : [];
  return own.concat(component.values.flatMap((child) => (typeof child === 'string' ? [] : findAll(child, id))));
}

describe('frame normalization', () => {
  it('trims JavaScript receivers, ignores anonymous names and low-quality frames', () => {
    const result = groupEvent(
      errorEvent('javascript', [
        { function: 'Object.callback', filename: '/tmp/page.html', abs_path: 'file:///tmp/page.html', lineno: 3 },
        { function: 'Array.map', filename: '<anonymous>', abs_path: '<anonymous>' },
        { function: 'eval', filename: '/tmp/page.html', abs_path: 'file:///tmp/page.html' },
        { function: 'Object.<anonymous>', filename: '/tmp/page.html', abs_path: 'file:///tmp/page.html', lineno: 9 },
        { function: 'Foo.bar.baz', filename: '/tmp/page.html', abs_path: 'file:///tmp/page.html', lineno: 12 },
      ]),
    );
    expect(result.hashes).toHaveLength(1);
    expect(leaves(result, 'app')).toEqual([
      'filename=page.html', 'function=callback', 'filename=page.html', 'filename=page.html', 'function=baz', 'type=Error',
    ]);
    const frames = findAll(variant(result, 'app')?.component, 'frame');
    expect(frames.map((frame) => frame.hint)).toEqual([undefined, 'ignored low quality javascript frame', 'ignored low quality javascript frame', undefined, undefined]);
    const lineno = findAll(variant(result, 'app')?.component, 'lineno')[0];
    expect(lineno).toEqual({ id: 'lineno', contributes: false, hint: 'line numbers are never used', values: ['3'] });
    const value = findAll(variant(result, 'app')?.component, 'value')[0];
    expect(value).toMatchObject({ contributes: false, hint: 'ignored because stacktrace takes precedence' });
  });

  it('normalizes generated JVM class names and ignores lambda method names', () => {
    const result = groupEvent(
      errorEvent('java', [
        { module: 'com.example.Api$$EnhancerBySpringCGLIB$$1a2b3c', function: 'handle', in_app: true },
        { module: 'com.example.Api', function: 'lambda$handle$3', in_app: true },
        { module: 'jdk.internal.reflect.GeneratedMethodAccessor42', function: 'invoke', in_app: false },
        { module: 'com.example.Repo_$$_javassist_17', function: 'load', in_app: true },
      ]),
    );
    expect(leaves(result, 'system')).toEqual([
      'module=com.example.Api$$EnhancerBySpringCGLIB$$<auto>', 'function=handle',
      'module=com.example.Api',
      'module=jdk.internal.reflect.GeneratedMethodAccessor', 'function=invoke',
      'module=com.example.Repo_$$_javassist<auto>', 'function=load',
      'type=Error',
    ]);
    expect(leaves(result, 'app')).not.toContain('function=invoke');
  });

  it('normalizes Ruby blocks and ERB templates, PHP 8.4 closures and collapses recursion', () => {
    const ruby = groupEvent(
      errorEvent('ruby', [
        { function: 'block (3 levels) in process', filename: 'app/jobs.rb', in_app: true },
        { function: '_app_views_cart_html_erb__1234567_7654321', filename: 'app/views/cart.html.erb', in_app: true },
        { function: 'walk', filename: 'lib/tree.rb', in_app: true },
        { function: 'walk', filename: 'lib/tree.rb', in_app: true },
      ]),
    );
    expect(leaves(ruby, 'app')).toEqual([
      'filename=jobs.rb', 'function=block in process', 'filename=cart.html.erb', 'function=_app_views_cart_html_erb', 'filename=tree.rb', 'function=walk', 'type=Error',
    ]);
    expect(findAll(variant(ruby, 'app')?.component, 'frame')[3]?.hint).toBe('ignored due to recursion');
    const php = groupEvent(errorEvent('php', [{ function: 'App\\{closure:/srv/app/src/a.php:12}', filename: 'a.php', in_app: true }]));
    expect(leaves(php, 'app')).toEqual(['filename=a.php', 'function=App\\{closure}', 'type=Error']);
  });

  it('decides in-app from paths when the SDK did not, and keeps both variants', () => {
    const result = groupEvent(
      errorEvent('node', [
        { function: 'processTicksAndRejections', filename: 'node:internal/process/task_queues' },
        { function: 'Layer.handle', filename: '/srv/app/node_modules/express/lib/router/layer.js' },
        { function: 'checkout', filename: '/srv/app/src/routes/checkout.js' },
      ]),
    );
    expect(leaves(result, 'app')).toEqual(['filename=checkout.js', 'function=checkout', 'type=Error']);
    expect(leaves(result, 'system')).toEqual([
      'filename=task_queues', 'function=processTicksAndRejections', 'filename=layer.js', 'function=handle', 'filename=checkout.js', 'function=checkout', 'type=Error',
    ]);
    expect(result.hashes).toEqual([variant(result, 'app')?.hash, variant(result, 'system')?.hash]);
  });

  it('uses context lines on context-line platforms only when short enough', () => {
    const line = (text: string): StackFrame => ({ function: 'handler', module: 'app.views', context_line: text, in_app: true });
    const short = groupEvent(errorEvent('python', [line('    return total / count')]));
    expect(leaves(short, 'app')).toEqual(['module=app.views', 'function=handler', 'context-line=return total / count', 'type=Error']);
    const long = groupEvent(errorEvent('python', [line(`x = ${'a'.repeat(130)}`)]));
    expect(leaves(long, 'app')).toEqual(['module=app.views', 'function=handler', 'type=Error']);
    const java = groupEvent(errorEvent('java', [line('return total / count;')]));
    expect(leaves(java, 'app')).toEqual(['module=app.views', 'function=handler', 'type=Error']);
  });
});

describe('exceptions, messages and fallbacks', () => {
  it('uses type and parameterized value when there is no stack trace', () => {
    const result = groupEvent(errorEvent('python', [], { type: 'KeyError', value: "'user-42' missing after 3 tries" }));
    expect(leaves(result, 'app')).toEqual(['type=KeyError', "value='user-<int>' missing after <int> tries"]);
    expect(result.hashes).toHaveLength(1);
  });

  it('collapses an exception group whose children are alike, keeps the group when they differ', () => {
    const child = (id: number, value: string): ExceptionValue => ({ type: 'ValueError', value, mechanism: { type: 'chained', exception_id: id, parent_id: 0 } });
    const root: ExceptionValue = { type: 'ExceptionGroup', value: 'many', mechanism: { type: 'generic', is_exception_group: true, exception_id: 0 } };
    const base: SentryEvent = { event_id: 'c'.repeat(32), timestamp: 1, received: 1, platform: 'python', level: 'error' };
    const alike = groupEvent({ ...base, exception: { values: [child(1, 'bad 1'), child(2, 'bad 2'), root] } });
    expect(leaves(alike, 'app')).toEqual(['type=ValueError', 'value=bad <int>']);
    const differ = groupEvent({ ...base, exception: { values: [child(1, 'bad 1'), child(2, 'other'), root] } });
    expect(leaves(differ, 'app')).toEqual(['type=ValueError', 'value=bad <int>', 'type=ValueError', 'value=other', 'type=ExceptionGroup', 'value=many']);
  });

  it('groups plain messages on the template, parameterized, and titles them with the message', () => {
    const result = groupEvent({
      event_id: 'd'.repeat(32), timestamp: 1, received: 1, platform: 'python', level: 'warning',
      message: 'Disk 91% full on host-7', logentry: { message: 'Disk %s%% full on %s', params: ['91', 'host-7'] },
    });
    expect(result.variants.map((v) => [v.key, v.contributes])).toEqual([['default', true]]);
    expect(leaves(result, 'default')).toEqual(['message=Disk %s%% full on %s']);
    expect(result.title).toBe('Disk 91% full on host-7');
    expect(result.metadata).toEqual({ message: 'Disk 91% full on host-7' });
    expect(result.config).toBe(GROUPING_CONFIG);
  });

  it('falls back to one shared hash when nothing can be grouped on', () => {
    const result = groupEvent({ event_id: 'e'.repeat(32), timestamp: 1, received: 1, platform: 'other', level: 'error' });
    expect(result.variants).toEqual([{ key: 'fallback', description: 'nothing in the event could be grouped on', hash: 'd41d8cd98f00b204e9800998ecf8427e', contributes: true }]);
    expect(result.title).toBe('<unlabeled event>');
  });
});

describe('titles and culprits', () => {
  it('titles from the outermost exception, first line, truncated', () => {
    const long = `Cannot read properties of undefined ${'x'.repeat(120)}\nsecond line`;
    const result = groupEvent({
      ...errorEvent('javascript', [{ function: 'render', filename: 'app.js', abs_path: 'http://localhost:3000/app.js', in_app: true }]),
      exception: { values: [{ type: 'Error', value: 'inner' }, { type: 'TypeError', value: long }] },
    });
    expect(result.title).toBe(`TypeError: ${long.slice(0, 99)}…`);
    expect(result.metadata.type).toBe('TypeError');
  });

  it('formats culprits like Sentry: function(module) for JavaScript, module in function elsewhere, else transaction', () => {
    const js = groupEvent(errorEvent('node', [{ function: 'main', module: 'index', in_app: true }, { function: 'Object.total', module: 'lib:orders', filename: '/srv/lib/orders.js', in_app: true }, { function: 'x', module: 'dep', in_app: false }]));
    expect(js.culprit).toBe('Object.total(lib:orders)');
    expect(js.metadata).toEqual({ type: 'Error', value: 'boom', filename: '/srv/lib/orders.js', function: 'Object.total' });
    const py = groupEvent(errorEvent('python', [{ function: 'get', module: 'app.views', in_app: true }]));
    expect(py.culprit).toBe('app.views in get');
    const none = groupEvent({ ...errorEvent('python', []), transaction: 'GET /cart' });
    expect(none.culprit).toBe('GET /cart');
  });
});
