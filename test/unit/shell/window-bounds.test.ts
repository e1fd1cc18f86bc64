import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, initialPlacement, savedWindow } from '../../../src/main/shell/window-bounds';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const monitorRight = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('window placement', () => {
  it('opens centred at the default size the first time', () => {
    expect(initialPlacement(undefined, [laptop])).toEqual({ bounds: DEFAULT_WINDOW_SIZE, maximized: false });
  });

  it('restores the saved position, size and maximized state', () => {
    const saved = savedWindow({ bounds: { x: 1600, y: 100, width: 1300, height: 900 }, maximized: true });
    expect(saved).toEqual({ x: 1600, y: 100, width: 1300, height: 900, maximized: true });
    expect(initialPlacement(saved, [laptop, monitorRight])).toEqual({ bounds: { x: 1600, y: 100, width: 1300, height: 900 }, maximized: true });
  });

  it('centres the window when its display is gone, keeping the size', () => {
    const saved = { x: 1600, y: 100, width: 1300, height: 800 };
    expect(initialPlacement(saved, [laptop])).toEqual({ bounds: { width: 1300, height: 800 }, maximized: false });
  });

  it('never restores a title bar above the screen or a size beyond the largest display', () => {
    expect(initialPlacement({ x: 10, y: -300, width: 800, height: 600 }, [laptop]).bounds).toEqual({ width: 800, height: 600 });
    expect(initialPlacement({ x: 0, y: 0, width: 5000, height: 100 }, [laptop]).bounds).toEqual({ x: 0, y: 0, width: 1440, height: 420 });
  });
});
