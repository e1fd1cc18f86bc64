/** Projects and their keys. */
import { randomBytes } from 'node:crypto';
import type { Db } from './db';
import type { ForwardingStatus, Project } from '../../shared/project';

interface ProjectRow {
  id: number;
  name: string;
  public_key: string;
  key_enabled: number;
  webhook_url: string | null;
  fingerprint_rules: string;
  upstream_dsn: string | null;
  created_at: number;
}

export interface ProjectChanges {
  name?: string;
  keyEnabled?: boolean;
  publicKey?: string;
  webhookUrl?: string | null;
  fingerprintRules?: string;
  upstreamDsn?: string | null;
}

export function newPublicKey(): string {
  return randomBytes(16).toString('hex');
}

export class ProjectsRepo {
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly dsnBase: () => string,
    private readonly forwardingStatus: (projectId: number) => ForwardingStatus | null = () => null,
  ) {
    this.statements = {
      all: db.prepare<[], ProjectRow>('SELECT * FROM projects ORDER BY id'),
      byId: db.prepare<[number], ProjectRow>('SELECT * FROM projects WHERE id = ?'),
      byKey: db.prepare<[string], ProjectRow>('SELECT * FROM projects WHERE public_key = ?'),
      byName: db.prepare<[string], ProjectRow>('SELECT * FROM projects WHERE name = ? ORDER BY id LIMIT 1'),
      insert: db.prepare('INSERT INTO projects (name, public_key, created_at) VALUES (?, ?, ?)'),
      delete: db.prepare('DELETE FROM projects WHERE id = ?'),
    };
  }

  list(): Project[] {
    return this.statements.all.all().map((row) => this.toProject(row));
  }

  get(id: number): Project | undefined {
    const row = this.statements.byId.get(id);
    return row ? this.toProject(row) : undefined;
  }

  byKey(publicKey: string): Project | undefined {
    const row = this.statements.byKey.get(publicKey);
    return row ? this.toProject(row) : undefined;
  }

  byName(name: string): Project | undefined {
    const row = this.statements.byName.get(name);
    return row ? this.toProject(row) : undefined;
  }

  create(name: string): Project {
    const result = this.statements.insert.run(name, newPublicKey(), Date.now() / 1000);
    return this.get(Number(result.lastInsertRowid)) as Project;
  }

  update(id: number, changes: ProjectChanges): Project | undefined {
    const columns: string[] = [];
    const values: (string | number | null)[] = [];
    if (changes.name !== undefined) (columns.push('name = ?'), values.push(changes.name));
    if (changes.keyEnabled !== undefined) (columns.push('key_enabled = ?'), values.push(changes.keyEnabled ? 1 : 0));
    if (changes.publicKey !== undefined) (columns.push('public_key = ?'), values.push(changes.publicKey));
    if (changes.webhookUrl !== undefined) (columns.push('webhook_url = ?'), values.push(changes.webhookUrl));
    if (changes.fingerprintRules !== undefined) (columns.push('fingerprint_rules = ?'), values.push(changes.fingerprintRules));
    if (changes.upstreamDsn !== undefined) (columns.push('upstream_dsn = ?'), values.push(changes.upstreamDsn));
    if (columns.length > 0) this.db.prepare(`UPDATE projects SET ${columns.join(', ')} WHERE id = ?`).run(...values, id);
    return this.get(id);
  }

  delete(id: number): boolean {
    return this.statements.delete.run(id).changes > 0;
  }

  dsn(publicKey: string, id: number): string {
    const base = new URL(this.dsnBase());
    return `${base.protocol}//${publicKey}@${base.host}/${id}`;
  }

  private toProject(row: ProjectRow): Project {
    return {
      id: row.id,
      name: row.name,
      publicKey: row.public_key,
      keyEnabled: row.key_enabled === 1,
      dsn: this.dsn(row.public_key, row.id),
      webhookUrl: row.webhook_url,
      fingerprintRules: row.fingerprint_rules,
      upstreamDsn: row.upstream_dsn,
      forwarding: this.forwardingStatus(row.id),
      createdAt: new Date(row.created_at * 1000).toISOString(),
    };
  }
}
