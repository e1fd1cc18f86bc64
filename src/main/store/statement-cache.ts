/**
 * Prepared statements for SQL whose text depends on the query (its filters, the length of an id
 * list): prepared once per text and kept, the most recently used first, instead of on every call.
 * The issue list, which the UI asks for while events arrive and which runs on the thread that
 * ingests them, spent a third of its time preparing its two statements (CPU profile at 400/s).
 */
import type Database from 'better-sqlite3';
import type { Db } from './db';

const MAX_STATEMENTS = 64;

export class StatementCache {
  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();

  constructor(private readonly db: Db) {}

  get<Params extends unknown[], Row>(sql: string): Database.Statement<Params, Row> {
    let statement = this.statements.get(sql);
    if (statement) this.statements.delete(sql);
    else statement = this.db.prepare<unknown[], unknown>(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > MAX_STATEMENTS) this.statements.delete(this.statements.keys().next().value as string);
    return statement as unknown as Database.Statement<Params, Row>;
  }
}
