import { describe, expect, it } from 'vitest';
import { contextType, contextValue } from '../../../src/renderer/lib/context-values';
import { bytes, exactTime } from '../../../src/renderer/lib/format';

describe('context values in their units', () => {
  it('shows sizes in powers of 1024, as Sentry does, with the bytes on hover', () => {
    expect(contextValue('device', 'memory_size', 25276063744)).toEqual({ text: '23.5 GiB', raw: '25276063744' });
    expect(contextValue('device', 'free_memory', 1536 * 1024 * 1024)).toEqual({ text: '1.5 GiB', raw: '1610612736' });
    expect(contextValue('device', 'storage_size', 511_000_000_000).text).toBe('475.9 GiB');
    expect(contextValue('app', 'app_memory', 52_428_800).text).toBe('50.0 MiB');
    expect(contextValue('response', 'body_size', 512)).toEqual({ text: '512 B', raw: '512' });
  });

  it('reads the GPU memory in megabytes, its unit in the Contexts Interface', () => {
    expect(contextValue('gpu', 'memory_size', 8192)).toEqual({ text: '8.0 GiB', raw: '8192' });
  });

  it('shows times as local date and time, the raw value on hover', () => {
    expect(contextValue('device', 'boot_time', '2024-05-01T08:30:00Z')).toEqual({
      text: exactTime('2024-05-01T08:30:00Z'),
      raw: '2024-05-01T08:30:00Z',
    });
    // Epoch seconds and epoch milliseconds, as some SDKs send them.
    expect(contextValue('app', 'app_start_time', 1714552200).text).toBe(exactTime('2024-05-01T08:30:00Z'));
    expect(contextValue('app', 'app_start_time', 1714552200000).text).toBe(exactTime('2024-05-01T08:30:00Z'));
  });

  it('battery in percent, CPU frequency in MHz or GHz, and a frequency of 0 (unknown) hidden', () => {
    expect(contextValue('device', 'battery_level', 86.25).text).toBe('86.3%');
    expect(contextValue('device', 'processor_frequency', 2400)).toEqual({ text: '2.4 GHz', raw: '2400' });
    expect(contextValue('device', 'processor_frequency', 800).text).toBe('800 MHz');
    expect(contextValue('device', 'processor_frequency', 0)).toEqual({ text: '0', hidden: true });
  });

  it("formats the Node SDK's app free_memory like device memory", () => {
    expect(contextValue('app', 'free_memory', 6_969_458_688)).toEqual({ text: '6.5 GiB', raw: '6969458688' });
  });

  it('leaves other fields, other contexts and values of the wrong type as they came', () => {
    expect(contextValue('device', 'model', 'Pixel 8')).toEqual({ text: 'Pixel 8' });
    expect(contextValue('runtime', 'memory_size', 1024)).toEqual({ text: '1024' });
    expect(contextValue('device', 'memory_size', 'lots')).toEqual({ text: 'lots' });
    expect(contextValue('device', 'boot_time', 'yesterday')).toEqual({ text: 'yesterday' });
    expect(contextValue('device', 'simulator', false)).toEqual({ text: 'false' });
  });

  it('a context is of its type field, else of its key', () => {
    expect(contextType('client_os', { type: 'os', name: 'Windows' })).toBe('os');
    expect(contextType('my_phone', { type: 'device' })).toBe('device');
    expect(contextType('device', { model: 'x' })).toBe('device');
  });

  it('binary sizes switch unit at 1024', () => {
    expect(bytes(0)).toBe('0 B');
    expect(bytes(1023)).toBe('1023 B');
    expect(bytes(1024)).toBe('1.0 KiB');
    expect(bytes(1024 ** 4 * 2)).toBe('2.0 TiB');
  });
});
