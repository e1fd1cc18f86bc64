import type { Db } from '../db';

/**
 * `issues.resolved_in_release`: for an issue resolved "in the next release", the release that
 * was its latest then. An event regresses it only from a release newer than that one (by the
 * commit graph for releases derived from git, by semver, else by first-seen time).
 */
export function resolvedInRelease(db: Db): void {
  db.exec('ALTER TABLE issues ADD COLUMN resolved_in_release TEXT');
}
