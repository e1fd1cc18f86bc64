/** The one gate for single-key shortcuts (j, k, r, /…): they must never fire while the user types. */

/** Fields that take text (or a choice) from the keyboard. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  return target.isContentEditable || ['TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The key of a single-key shortcut, or null when this keypress is not one: typed into a field,
 * held with Ctrl/Alt/Meta (the browser's and the OS's own shortcuts), Shift with a letter,
 * part of an IME composition, or already handled by someone else.
 */
export function shortcutKey(event: KeyboardEvent): string | null {
  if (event.defaultPrevented || event.isComposing) return null;
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  // Shift is how some layouts type "/" or "?", but Shift+R is not "r".
  if (event.shiftKey && /^[a-z]$/i.test(event.key)) return null;
  if (isTypingTarget(event.target) || isTypingTarget(document.activeElement)) return null;
  return event.key;
}
