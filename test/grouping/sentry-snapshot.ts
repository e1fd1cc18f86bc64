/**
 * Reads the snapshot files of Sentry's grouping tests (format described in
 * shared/fixtures/sentry-grouping/README.md) into what the conformance test compares: per variant,
 * whether it contributes, its hash and its contributing leaf values as `component-id=value`.
 */

export interface SentryVariant {
  key: string;
  hash: string | null;
  leaves: string[];
}

function parseValue(text: string): string {
  return text.startsWith('"') ? String(JSON.parse(text)) : text;
}

export function parseGroupingSnapshot(text: string): SentryVariant[] {
  const body = text.split(/^---$/m).slice(2).join('---');
  const variants: SentryVariant[] = [];
  for (const block of body.split(/^-{20,}$/m)) {
    const lines = block.split('\n').filter((line) => line.trim() !== '');
    const key = /^([\w-]+):$/.exec(lines[0] ?? '')?.[1];
    if (!key) continue;
    const hashLine = lines.find((line) => /^ {2}hash:/.test(line)) ?? '';
    const hashText = hashLine.replace(/^ {2}hash:\s*/, '');
    const hash = hashText === 'null' || hashText === '' ? null : parseValue(hashText);
    const start = lines.findIndex((line) => /^ {2}component:$/.test(line));
    const leaves: string[] = [];
    // Stack of [indent, id, contributes] for the component lines above the current line.
    const stack: { indent: number; id: string; contributes: boolean }[] = [];
    for (const line of start === -1 ? [] : lines.slice(start + 1)) {
      const indent = line.length - line.trimStart().length;
      const content = line.trim();
      while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
      if (content.startsWith('"') || /^-?\d/.test(content)) {
        const parent = stack[stack.length - 1];
        if (parent && stack.every((entry) => entry.contributes)) leaves.push(`${parent.id}=${parseValue(content)}`);
        continue;
      }
      const match = /^([\w-]+)(\*)?/.exec(content);
      if (match?.[1]) stack.push({ indent, id: match[1], contributes: match[2] === '*' });
    }
    variants.push({ key, hash, leaves });
  }
  return variants;
}

/** The resolved values of the fingerprint variant in a fingerprint-rule snapshot, and its title. */
export function parseFingerprintSnapshot(text: string): { variantKey?: string; values: string[]; title?: string } {
  const lines = text.split('\n');
  const titleLine = lines.find((line) => line.startsWith('title: '));
  const title = titleLine === undefined ? undefined : yamlScalar(titleLine.slice('title: '.length));
  const start = lines.findIndex((line) => /^ {2}(custom[-_](?:server[-_]|client[-_])?fingerprint|built[-_]in[-_]fingerprint):$/.test(line));
  if (start === -1) return { values: [], title };
  const variantKey = lines[start]?.trim().replace(/:$/, '');
  const values: string[] = [];
  let inValues = false;
  for (const line of lines.slice(start + 1)) {
    if (/^ {2}\S/.test(line)) break;
    if (/^ {4}values:/.test(line)) inValues = true;
    else if (inValues && /^ {4}- /.test(line)) values.push(yamlScalar(line.slice(6)));
    else if (/^ {4}\S/.test(line)) inValues = false;
  }
  return { variantKey, values, title };
}

function yamlScalar(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith("'")) return trimmed.slice(1, -1).replace(/''/g, "'");
  if (trimmed.startsWith('"')) return String(JSON.parse(trimmed));
  return trimmed;
}
