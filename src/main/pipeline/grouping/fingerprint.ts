import type { SentryEvent } from '../../../shared/event';
import { basename, culpritFrame, formattedMessage, outermostException, tagValue } from './event-facts';

export const DEFAULT_MARKER = '{{ default }}';

const VARIABLE = /\{\{\s*([\w.-]+)\s*\}\}/g;

export function isDefaultMarker(value: string): boolean {
  return /^\{\{\s*default\s*\}\}$/.test(value);
}

/** The value of one `{{ name }}` variable; missing values read as `<no-…>` so they still group. */
export function resolveVariable(event: SentryEvent, rawName: string): string {
  const name = rawName.toLowerCase();
  const exception = outermostException(event);
  const frame = culpritFrame(event);
  if (name.startsWith('tags.')) {
    const tag = rawName.slice('tags.'.length);
    return tagValue(event, tag) ?? `<no-value-for-tag-${tag}>`;
  }
  switch (name) {
    case 'type':
    case 'error.type':
      return exception?.type || '<no-type>';
    case 'value':
    case 'error.value':
      return exception?.value || '<no-value>';
    case 'function':
    case 'stack.function':
      return frame?.function || '<no-function>';
    case 'module':
    case 'stack.module':
      return frame?.module || '<no-module>';
    case 'filename':
    case 'stack.filename':
      return frame?.filename || frame?.abs_path || '<no-filename>';
    case 'path':
    case 'abs_path':
    case 'stack.abs_path':
      return frame?.abs_path || frame?.filename || '<no-abs-path>';
    case 'package':
    case 'stack.package':
      return frame?.package ? basename(frame.package) : '<no-package>';
    case 'transaction':
      return event.transaction || '<no-transaction>';
    case 'logger':
      return event.logger || '<no-logger>';
    case 'level':
      return event.level || '<no-level>';
    case 'message':
      return formattedMessage(event) ?? '<no-message>';
    case 'release':
      return event.release || '<no-release>';
    case 'environment':
      return event.environment || '<no-environment>';
    default:
      return `{{ ${rawName} }}`;
  }
}

/** Fills every `{{ … }}` in a fingerprint entry or title; `{{ default }}` is left for the caller. */
export function resolveTemplate(event: SentryEvent, template: string): string {
  return template.replace(VARIABLE, (whole, name: string) => (name.toLowerCase() === 'default' ? whole : resolveVariable(event, name)));
}
