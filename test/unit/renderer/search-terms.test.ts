import { describe, expect, it } from 'vitest';
import { splitTerms, statusOfQuery, termKey, withTerm, withoutStatusTerms } from '../../../src/renderer/lib/search-terms';

describe('issue search terms', () => {
  it('splits free text, key:value and quoted terms as the server reads them', () => {
    expect(splitTerms('  TypeError  browser:"Chrome 120" "two words" release:1.2 ')).toEqual([
      'TypeError',
      'browser:"Chrome 120"',
      '"two words"',
      'release:1.2',
    ]);
    expect(termKey('Browser:"Chrome 120"')).toBe('browser');
    expect(termKey('"two words"')).toBeNull();
    // A URL is free text to the server's parser, so it is to the editor too.
    expect(termKey('http://x')).toBeNull();
  });

  it('a tag click appends key:value, keeping the other terms', () => {
    expect(withTerm('', 'browser', 'Chrome')).toBe('browser:Chrome');
    expect(withTerm('TypeError level:error', 'browser', 'Chrome')).toBe('TypeError level:error browser:Chrome');
  });

  it('replaces a term with the same key where it stands, quoting values with spaces', () => {
    expect(withTerm('TypeError browser:Firefox level:error', 'browser', 'Chrome 120')).toBe(
      'TypeError browser:"Chrome 120" level:error',
    );
    expect(withTerm('browser:"Chrome 119" x BROWSER:Safari', 'browser', 'Edge')).toBe('browser:Edge x');
    // A key that merely starts the same is another key.
    expect(withTerm('browser.name:Chrome', 'browser', 'Edge')).toBe('browser.name:Chrome browser:Edge');
  });

  it('reads the status an is: term asks for', () => {
    expect(statusOfQuery('TypeError')).toBeNull();
    expect(statusOfQuery('TypeError is:resolved')).toBe('resolved');
    expect(statusOfQuery('IS:Ignored')).toBe('ignored');
    expect(statusOfQuery('is:new is:regression')).toBeNull();
    expect(statusOfQuery('is:resolved is:ignored')).toBe('all');
    expect(statusOfQuery('is:resolved is:resolved')).toBe('resolved');
  });

  it('a tab replaces the status terms and keeps is:new and the rest', () => {
    expect(withoutStatusTerms('TypeError is:resolved is:new level:error is:ignored')).toBe('TypeError is:new level:error');
  });
});
