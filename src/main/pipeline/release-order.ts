/**
 * Which of two releases is newer, for "resolved in the next release": by the commit graph when
 * both are commits of a known repository (asked of the git reader at the edge), else by semver
 * when both parse, else unknown (the caller falls back to when each was first seen). Pure.
 */

/** true: `candidate` is newer than `resolved`; false: the same or older (or a side branch); null: unknown. */
export type ReleaseOrder = (candidate: string, resolved: string) => boolean | null;

interface SemVer {
  /** "my-app@" of "my-app@1.2.3": versions of different packages are not compared. */
  prefix: string;
  core: [number, number, number];
  prerelease: string[];
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export function parseSemver(release: string): SemVer | null {
  const at = release.lastIndexOf('@');
  const prefix = at > 0 ? release.slice(0, at + 1) : '';
  const match = SEMVER.exec(release.slice(prefix.length));
  if (!match) return null;
  return {
    prefix,
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    prerelease: match[4] ? match[4].split('.') : [],
  };
}

export function semverOrder(candidate: string, resolved: string): boolean | null {
  const a = parseSemver(candidate);
  const b = parseSemver(resolved);
  if (!a || !b || a.prefix !== b.prefix) return null;
  return compareSemver(a, b) > 0;
}

/** The commit graph first (it knows what the version strings cannot), then semver. */
export function releaseOrder(commitOrder: ReleaseOrder | null): ReleaseOrder {
  return (candidate, resolved) => {
    if (candidate === resolved) return false;
    return commitOrder?.(candidate, resolved) ?? semverOrder(candidate, resolved);
  };
}

function compareSemver(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a.core[i] ?? 0) - (b.core[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  // A pre-release comes before its release; otherwise identifiers compare one by one.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return Math.sign(b.prerelease.length - a.prerelease.length);
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xNumeric = /^\d+$/.test(x);
    const yNumeric = /^\d+$/.test(y);
    if (xNumeric && yNumeric) return Math.sign(Number(x) - Number(y));
    if (xNumeric !== yNumeric) return xNumeric ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
