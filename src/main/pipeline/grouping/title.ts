import type { SentryEvent, StackFrame } from '../../../shared/event';
import type { IssueMetadata } from '../../../shared/grouping';
import { culpritFrame, formattedMessage, outermostException } from './event-facts';
import { isUrl, moduleFromUrl } from './paths';
import { platformFamily } from './platform';

const TITLE_LENGTH = 100;
const METADATA_VALUE_LENGTH = 1024;
const CONTEXT_LINE_LENGTH = 200;

export function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((line) => line.trim() !== '')?.trim() ?? '';
}

/**
 * Sentry's culprit format: `function(module)` for JavaScript, `module in function` elsewhere. A
 * browser frame names its script by URL; like Sentry's JavaScript processing, the module is then
 * made from the URL's path (`assets/index`), so the culprit does not change with the port or build.
 */
export function frameCulprit(frame: StackFrame, eventPlatform: string): string | undefined {
  const javascript = platformFamily(frame.platform ?? eventPlatform) === 'javascript';
  const scriptUrl = frame.abs_path ?? frame.filename;
  const urlModule = javascript && !frame.module && isUrl(scriptUrl) ? moduleFromUrl(scriptUrl ?? '') : undefined;
  const location = frame.module || urlModule || frame.filename || frame.abs_path;
  if (!location) return undefined;
  const fn = frame.function || '?';
  return javascript ? `${fn}(${location})` : `${location} in ${fn}`;
}

/**
 * A message event that an SDK dressed up as an exception (captureMessage with attachStacktrace):
 * the exception carries no type of its own, so the message is what a person recognises it by.
 */
export function isMessageWithSyntheticException(event: SentryEvent): boolean {
  const exception = outermostException(event);
  if (!exception || formattedMessage(event) === undefined) return false;
  return (exception.type === undefined || exception.type === '') && exception.mechanism?.synthetic === true;
}

export interface EventDescription {
  title: string;
  culprit: string;
  metadata: IssueMetadata;
}

export function describeEvent(event: SentryEvent): EventDescription {
  const metadata: IssueMetadata = {};
  let title: string;
  const exception = outermostException(event);
  const message = formattedMessage(event);

  if (exception && !isMessageWithSyntheticException(event)) {
    const type = exception.type || 'Error';
    const value = exception.value ?? '';
    metadata.type = type;
    if (value !== '') metadata.value = truncate(value, METADATA_VALUE_LENGTH);
    title = value !== '' ? `${type}: ${truncate(firstLine(value), TITLE_LENGTH)}` : type;
  } else if (message !== undefined) {
    metadata.message = truncate(message, METADATA_VALUE_LENGTH);
    title = truncate(firstLine(message), TITLE_LENGTH);
  } else {
    title = '<unlabeled event>';
  }

  const frame = culpritFrame(event);
  if (frame) {
    const filename = frame.filename ?? frame.abs_path;
    if (filename !== undefined) metadata.filename = filename;
    if (frame.function !== undefined) metadata.function = frame.function;
    if (frame.lineno !== undefined) metadata.lineno = frame.lineno;
    const source = frame.context_line?.trim();
    if (source) metadata.contextLine = truncate(source, CONTEXT_LINE_LENGTH);
  }
  const culprit =
    event.culprit || (frame && frameCulprit(frame, event.platform)) || event.transaction || '';
  return { title, culprit, metadata };
}
