/**
 * Issues the user has opened, so "New" goes once an issue was looked at. Kept in localStorage
 * (per origin), the latest OPENED_LIMIT only.
 */
const STORAGE_KEY = 'stacktray.openedIssues';
const OPENED_LIMIT = 2000;

function read(): number[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is number => Number.isInteger(id)) : [];
  } catch {
    return [];
  }
}

class OpenedIssues {
  ids = $state.raw<ReadonlySet<number>>(new Set(read()));

  mark(id: number): void {
    if (this.ids.has(id)) return;
    const next = [...this.ids, id].slice(-OPENED_LIMIT);
    this.ids = new Set(next);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Storage disabled: "New" goes for this session only.
    }
  }
}

export const openedIssues = new OpenedIssues();
