/**
 * The `module` @sentry/node gives a frame, so OTLP events from Node name their code as the SDK's
 * do: relative to the app's root (the entry script's folder), `lib/orders.js` → `lib:orders`; a
 * dependency by its package path, `node_modules/express/lib/router.js` → `express.lib:router`;
 * anything else by its file name. The culprit (`fn(module)`) then reads `inventoryLookup(app)`,
 * not `inventoryLookup(/home/dev/shop/app.js)`. Pure.
 */

const SCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs'];

function normalizePath(path: string): string {
  return path.replace(/^[A-Za-z]:/, '').replace(/\\/g, '/');
}

/** The folder of a path ('' for none). */
export function directoryOf(path: string): string {
  const normalized = normalizePath(path);
  const slash = normalized.lastIndexOf('/');
  return slash <= 0 ? (slash === 0 ? '/' : '') : normalized.slice(0, slash);
}

/** `appRoot`: the entry script's folder when known (OTLP's `process.command`); else only the file name is used. */
export function nodeModuleName(filename: string, appRoot: string | undefined): string {
  const path = normalizePath(filename);
  const slash = path.lastIndexOf('/');
  const dir = slash === -1 ? '.' : path.slice(0, slash);
  let file = slash === -1 ? path : path.slice(slash + 1);
  const extension = SCRIPT_EXTENSIONS.find((ext) => file.endsWith(ext));
  if (extension) file = file.slice(0, -extension.length);
  try {
    file = decodeURIComponent(file);
  } catch {
    // Not URI-encoded after all: keep it as it is.
  }
  const dependency = dir.lastIndexOf('/node_modules');
  if (dependency > -1) return `${dir.slice(dependency + '/node_modules/'.length).replace(/\//g, '.')}:${file}`;
  const root = appRoot === undefined ? undefined : normalizePath(appRoot).replace(/\/+$/, '');
  if (root && (dir === root || dir.startsWith(`${root}/`))) {
    const inner = dir.slice(root.length + 1).replace(/\//g, '.');
    return inner ? `${inner}:${file}` : file;
  }
  return file;
}
