/**
 * ../shared beside the checkout holds real captured SDK traffic and Sentry's grouping tests; it
 * is not part of the repository, so a fresh clone runs without it and the tests that need it skip.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const SHARED = join(__dirname, '../../../shared');

/**
 * The absolute path of the folder `relativePath` under ../shared when it is there (holding
 * `mustHold`, when given). Otherwise null, and why `tests` skip is printed: a skip is never silent.
 */
export function sharedFixture(relativePath: string, tests: string, mustHold = ''): string | null {
  const folder = join(SHARED, relativePath);
  const needed = join(folder, mustHold);
  if (existsSync(needed)) return folder;
  console.log(`skipping ${tests}: they need ../shared/${join(relativePath, mustHold)} beside the checkout (${needed} is not there)`);
  return null;
}
