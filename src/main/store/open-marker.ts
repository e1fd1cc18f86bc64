/**
 * Whether the previous run closed the database cleanly. The store writes `<db>.open` before it
 * opens the database and removes it after a clean close, so a marker found at open means the
 * last run was killed or crashed. SQLite's own leftovers say the same and cover a marker that
 * could not be written (read-only folder) or a database last opened by a Stacktray from before
 * the marker: a `-wal` file is deleted when the last connection closes cleanly, and a `-journal`
 * file left beside a rollback-journal database is a hot journal.
 */
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';

export function openMarkerPath(file: string): string {
  return `${file}.open`;
}

/** True when a run that had `file` open did not close it (killed, crashed, power loss). */
export function previousRunWasUnclean(file: string): boolean {
  return [openMarkerPath(file), `${file}-wal`, `${file}-journal`].some((path) => existsSync(path));
}

/** Best effort: a folder that cannot take the marker still has SQLite's leftovers to go by. */
export function writeOpenMarker(file: string): void {
  try {
    writeFileSync(openMarkerPath(file), `${process.pid}\n`);
  } catch {
    // Read-only folder: previousRunWasUnclean falls back on the -wal file.
  }
}

export function removeOpenMarker(file: string): void {
  try {
    unlinkSync(openMarkerPath(file));
  } catch {
    // Never written (read-only folder) or already gone.
  }
}
