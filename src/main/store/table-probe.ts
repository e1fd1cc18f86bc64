/**
 * A cheap look at every table's b-tree: its first and last row, which reads the root page and
 * the pages down both edges. Milliseconds on any size of database, unlike PRAGMA quick_check,
 * and enough to find a file whose table pages were overwritten (SQLITE_CORRUPT) at open.
 */
import type Database from 'better-sqlite3';

interface TableListRow {
  name: string;
  schema: string;
  type: string;
  wr: number;
}

export function probeTables(db: Database.Database): void {
  const tables = (db.pragma('table_list') as TableListRow[]).filter((table) => table.schema === 'main' && table.type === 'table');
  for (const table of tables) {
    const name = `"${table.name.replaceAll('"', '""')}"`;
    db.prepare(`SELECT * FROM ${name} LIMIT 1`).get();
    // A WITHOUT ROWID table has no rowid to order by: its first row walks the root already.
    if (table.wr === 0) db.prepare(`SELECT * FROM ${name} ORDER BY rowid DESC LIMIT 1`).get();
  }
}

export function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}
