import { describe, expect, it } from 'vitest';
import { groupEvent } from '../../../src/main/pipeline/grouping/index';
import type { GroupingResult } from '../../../src/shared/grouping';
import { loadFixture } from './sdk-payload';

// Payloads captured from @sentry/browser 11.12.0 in Chromium by test/fixtures/sentry/capture-browser.mjs:
// one app bundled by rolldown plain and minified, each rebuilt once (new bundle hash), served from two
// dev servers on different ports. Event 1 is the cart TypeError, events 2 and 3 the price Error
// (a random sku in the message).
const group = (name: string): GroupingResult => groupEvent(loadFixture(`browser/${name}.json`));

describe('grouping real @sentry/browser events', () => {
  it.each(['plain', 'min'])('keeps one issue across dev-server ports and rebuilt bundle hashes (%s build)', (build) => {
    const cart = group(`${build}-port1-1`).hashes;
    expect(group(`${build}-port2-1`).hashes).toEqual(cart);
    expect(group(`${build}Rebuilt-port1-1`).hashes).toEqual(cart);
    const price = group(`${build}-port1-2`).hashes;
    expect(group(`${build}-port1-3`).hashes).toEqual(price);
    expect(group(`${build}-port2-3`).hashes).toEqual(price);
    expect(group(`${build}Rebuilt-port1-2`).hashes).toEqual(price);
    expect(price.some((hash) => cart.includes(hash))).toBe(false);
  });

  it('derives the module from the script path without origin, port or hash', () => {
    const result = group('plain-port2-1');
    const frames = JSON.stringify(result.variants.find((variant) => variant.key === 'system')?.component);
    expect(frames).toContain('"values":["assets/index"]');
    expect(frames).toContain('ignored because frame points to a URL');
    expect(frames).not.toMatch(/127\.0\.0\.1/);
    expect(result.title).toBe("TypeError: Cannot read properties of undefined (reading 'length')");
    // The culprit names the same module: the same on another port or after a rebuild.
    expect(result.culprit).toBe('parseCart(assets/index)');
    expect(group('plain-port1-1').culprit).toBe('parseCart(assets/index)');
    expect(result.metadata.function).toBe('parseCart');
  });
});
