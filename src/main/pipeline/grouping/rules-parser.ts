import { isValidGlob } from './glob';
import { canonicalMatcherKey, type FingerprintMatcher, type FingerprintRule } from './rules';

export interface RuleParseError {
  line: number;
  message: string;
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  skipSpaces(): void {
    while (!this.done && /\s/.test(this.peek())) this.pos += 1;
  }
  /** A `"…"` string with `\"` and `\\` escapes; other escapes are kept for the glob. */
  quoted(): string {
    this.pos += 1;
    let out = '';
    while (!this.done && this.peek() !== '"') {
      const char = this.peek();
      if (char === '\\' && (this.text[this.pos + 1] === '"' || this.text[this.pos + 1] === '\\')) {
        out += this.text[this.pos + 1];
        this.pos += 2;
      } else {
        out += char;
        this.pos += 1;
      }
    }
    if (this.done) throw new Error('unterminated quoted value');
    this.pos += 1;
    return out;
  }
  /** An unquoted run up to whitespace or a stop character; `{{ … }}` may contain spaces. */
  bare(stops: string): string {
    let out = '';
    while (!this.done && !/\s/.test(this.peek()) && !stops.includes(this.peek())) {
      if (this.text.startsWith('{{', this.pos)) {
        const end = this.text.indexOf('}}', this.pos);
        if (end === -1) throw new Error('unterminated {{ variable');
        out += this.text.slice(this.pos, end + 2);
        this.pos = end + 2;
      } else {
        out += this.peek();
        this.pos += 1;
      }
    }
    return out;
  }
  value(stops: string): string {
    return this.peek() === '"' ? this.quoted() : this.bare(stops);
  }
}

function parseMatchers(text: string): FingerprintMatcher[] {
  const scanner = new Scanner(text);
  const matchers: FingerprintMatcher[] = [];
  for (scanner.skipSpaces(); !scanner.done; scanner.skipSpaces()) {
    const negated = scanner.peek() === '!';
    if (negated) scanner.pos += 1;
    const key = scanner.bare(':"');
    if (scanner.peek() !== ':') throw new Error(`expected key:value, got "${key}"`);
    scanner.pos += 1;
    const canonical = canonicalMatcherKey(key);
    if (canonical === undefined) throw new Error(`unknown matcher "${key}"`);
    const pattern = scanner.value('');
    if (pattern === '') throw new Error(`matcher "${key}" has no value`);
    if (!isValidGlob(pattern)) throw new Error(`invalid pattern "${pattern}"`);
    matchers.push({ key: canonical, pattern, negated });
  }
  if (matchers.length === 0) throw new Error('rule has no matchers before "->"');
  return matchers;
}

function parseFingerprint(text: string): { fingerprint: string[]; attributes: { title?: string } } {
  const scanner = new Scanner(text);
  const fingerprint: string[] = [];
  const attributes: { title?: string } = {};
  let expectValue = true;
  for (scanner.skipSpaces(); !scanner.done; scanner.skipSpaces()) {
    const attribute = /^([a-z_]+)=/.exec(text.slice(scanner.pos));
    if (attribute?.[1] !== undefined && (fingerprint.length > 0 || !expectValue)) {
      scanner.pos += attribute[0].length;
      if (attribute[1] !== 'title') throw new Error(`unknown attribute "${attribute[1]}" (only title= is supported)`);
      attributes.title = scanner.value('');
      expectValue = false;
      continue;
    }
    if (!expectValue) throw new Error('expected "," between fingerprint values');
    const value = scanner.value(',');
    if (value === '') throw new Error('empty fingerprint value');
    fingerprint.push(value);
    scanner.skipSpaces();
    expectValue = scanner.peek() === ',';
    if (expectValue) scanner.pos += 1;
  }
  if (fingerprint.length === 0) throw new Error('rule has no fingerprint after "->"');
  if (expectValue) throw new Error('fingerprint ends with ","');
  return { fingerprint, attributes };
}

/** Finds the `->` that is not inside a quoted value. */
function arrowIndex(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length - 1; i += 1) {
    if (line[i] === '\\') i += 1;
    else if (line[i] === '"') quoted = !quoted;
    else if (!quoted && line[i] === '-' && line[i + 1] === '>') return i;
  }
  return -1;
}

/** Whether a `"` is left open at the end of the line (escaped quotes aside). */
function opensQuote(line: string): boolean {
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    if (line[i] === '\\') i += 1;
    else if (line[i] === '"') quoted = !quoted;
  }
  return quoted;
}

/** One line naming every bad rule, e.g. `fingerprint rules: line 2: unknown matcher "colour"; line 4: …`. */
export function describeRuleErrors(errors: readonly RuleParseError[]): string {
  return `fingerprint rules: ${errors.map((error) => `line ${error.line}: ${error.message}`).join('; ')}`;
}

/** Parses a project's rules, one per line; `#` starts a comment line. Bad lines are reported, not fatal. */
export function parseFingerprintRules(text: string): { rules: FingerprintRule[]; errors: RuleParseError[] } {
  const rules: FingerprintRule[] = [];
  const errors: RuleParseError[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const arrow = arrowIndex(line);
    if (arrow === -1) {
      // An open quote hides the arrow: name the quote, the real mistake.
      const message = opensQuote(line) ? 'unterminated quoted value' : 'expected "matchers -> fingerprint"';
      errors.push({ line: index + 1, message });
      return;
    }
    try {
      const matchers = parseMatchers(line.slice(0, arrow));
      const { fingerprint, attributes } = parseFingerprint(line.slice(arrow + 2));
      rules.push({ matchers, fingerprint, attributes, text: line });
    } catch (error) {
      errors.push({ line: index + 1, message: error instanceof Error ? error.message : String(error) });
    }
  });
  return { rules, errors };
}
