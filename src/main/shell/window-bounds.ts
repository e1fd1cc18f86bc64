/** Where the main window opens: the saved placement when it is still on a screen, else a centred default. */
import type { Settings } from '../../shared/settings';
import type { DisplayArea, MainWindowOptions, WindowState } from './platform';

export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 } as const;
export const MIN_WINDOW_SIZE = { width: 640, height: 420 } as const;
/** How much of the window's top edge must lie on a display for the user to be able to grab it. */
const GRAB_MARGIN = 64;

type SavedWindow = Settings['desktop']['window'];
type Placement = Pick<MainWindowOptions, 'bounds' | 'maximized'>;

export function initialPlacement(saved: SavedWindow, areas: DisplayArea[]): Placement {
  if (saved === undefined) return { bounds: { ...DEFAULT_WINDOW_SIZE }, maximized: false };
  const largest = areas.reduce<DisplayArea | undefined>(
    (best, area) => (best === undefined || area.width * area.height > best.width * best.height ? area : best),
    undefined,
  );
  const width = clamp(saved.width, MIN_WINDOW_SIZE.width, largest?.width ?? saved.width);
  const height = clamp(saved.height, MIN_WINDOW_SIZE.height, largest?.height ?? saved.height);
  const maximized = saved.maximized === true;
  if (saved.x === undefined || saved.y === undefined) return { bounds: { width, height }, maximized };
  const position = { x: saved.x, y: saved.y };
  // A display may have been unplugged since: only keep a position whose title bar is reachable.
  const reachable = areas.some(
    (area) =>
      position.y >= area.y &&
      position.y <= area.y + area.height - GRAB_MARGIN &&
      position.x + width >= area.x + GRAB_MARGIN &&
      position.x <= area.x + area.width - GRAB_MARGIN,
  );
  return reachable ? { bounds: { ...position, width, height }, maximized } : { bounds: { width, height }, maximized };
}

export function savedWindow(state: WindowState): NonNullable<SavedWindow> {
  const { x, y, width, height } = state.bounds;
  return { x, y, width, height, maximized: state.maximized };
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(Math.max(value, min), Math.max(min, max));
}
