/**
 * Issues and events as text: concise Markdown for the MCP server and `stacktray show`, one line per
 * event for `stacktray tail` (human, json, logfmt, md). Pure: data in, strings out.
 */
import type { EventDetail, EventSummary } from './api';
import type { Breadcrumb, ExceptionValue, SentryEvent, SourceMapOrigin, StackFrame } from './event';
import type { Issue, IssueDetail } from './issue';
import type { Project } from './project';

/** What an answer may grow to before it is cut (characters): a few thousand tokens for a model. */
export const MAX_ANSWER_CHARS = 24_000;
const MAX_VALUE_CHARS = 300;
const MAX_FRAMES_PER_EXCEPTION = 30;

/** Cuts `text` at a line boundary below `max` characters and says so (and what to call for more). */
export function bounded(text: string, max = MAX_ANSWER_CHARS, more = ''): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n', max);
  const kept = text.slice(0, cut > max / 2 ? cut : max);
  return `${kept}\n\n_[cut: ${text.length - kept.length} more characters${more ? `; ${more}` : ''}]_\n`;
}

/** One line, at most `max` characters (event data is hostile: no raw megabyte strings). */
export function short(value: unknown, max = MAX_VALUE_CHARS): string {
  const text = (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A line of source as sent: its indentation kept, cut at 200 characters. */
function sourceLine(line: string): string {
  const text = line.replace(/[\r\n]+/g, ' ').trimEnd();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

const code = (text: string) => `\`${text.replaceAll('`', "'")}\``;

function seen(at: string, release: string | null): string {
  return release ? `${at} (release ${release})` : at;
}

export function projectListMarkdown(projects: Project[]): string {
  const lines = ['# Projects', ''];
  for (const project of projects) lines.push(`- **${project.name}** (projectSlugOrId: ${code(String(project.id))}) DSN: ${code(project.dsn)}`);
  lines.push('', `Next: call search_issues with projectSlugOrId to list a project's issues.`);
  return lines.join('\n');
}

export function issueListMarkdown(issues: Issue[], query: string): string {
  if (issues.length === 0) return `# Issues\n\nNo issues match ${code(query || '(no query)')}.`;
  const lines = [`# Issues (${issues.length}${query ? ` matching ${code(query)}` : ''})`, ''];
  for (const issue of issues) {
    lines.push(
      `- **${issue.id}** ${short(issue.title, 160)} — ${issue.level}, ${issue.status}${issue.resolvedInNextRelease ? ' (in next release)' : ''}, ` +
        `${issue.count} events, ${issue.userCount} users, last seen ${issue.lastSeen}${issue.culprit ? `, in ${code(short(issue.culprit, 120))}` : ''}`,
    );
  }
  lines.push('', `Next: call get_issue_details with issueId (e.g. ${code(String(issues[0]?.id))}).`);
  return lines.join('\n');
}

export function eventListMarkdown(title: string, events: EventSummary[]): string {
  if (events.length === 0) return `# ${title}\n\nNo events match.`;
  const lines = [`# ${title} (${events.length})`, ''];
  for (const event of events) {
    lines.push(
      `- ${code(event.eventId)} ${event.timestamp} ${event.level} — ${short(event.title, 160)} (issue ${event.issueId}` +
        `${event.release ? `, release ${event.release}` : ''}${event.environment ? `, ${event.environment}` : ''})`,
    );
  }
  const first = events[0];
  if (first) lines.push('', `Next: call get_issue_details with issueId ${code(String(first.issueId))} and eventId ${code(first.eventId)}.`);
  return lines.join('\n');
}

/** Where a frame is: `function (file:line:col)`. */
export function frameLocation(frame: StackFrame): string {
  const file = frame.filename ?? frame.abs_path ?? frame.module ?? '?';
  const position = frame.lineno === undefined ? '' : `:${frame.lineno}${frame.colno === undefined ? '' : `:${frame.colno}`}`;
  return `${frame.function ?? '<anonymous>'} (${file}${position})`;
}

const RESOLVED_WITH: Record<SourceMapOrigin, string> = {
  'debug-id': 'an uploaded source map (debug ID)',
  release: 'an uploaded source map (release)',
  file: 'the source map on disk',
  'dev-server': "the dev server's source map",
};

/** `sent` is the frame as the SDK sent it, when source maps resolved this one. */
function frameMarkdown(frame: StackFrame, withSource: boolean, sent: StackFrame | undefined): string[] {
  const lines = [`- ${frame.in_app ? '' : '[system] '}${code(frameLocation(frame))}`];
  const origin = frame.data?.resolved_with;
  if (origin) lines.push(`  resolved with ${RESOLVED_WITH[origin]}${sent ? ` from ${code(frameLocation(sent))}` : ''}`);
  if (withSource && frame.context_line !== undefined) {
    if (frame.data?.context_from_disk) lines.push(`  source line read from disk${frame.data.source_changed_after_event ? ' (the file changed after the event)' : ''}`);
    lines.push('  ```', `  ${frame.lineno ?? ''} | ${sourceLine(frame.context_line)}`, '  ```');
  }
  return lines;
}

function exceptionHeading(exception: ExceptionValue): string {
  const mechanism = exception.mechanism;
  const how = mechanism ? ` (${mechanism.type}${mechanism.handled === false ? ', unhandled' : ''})` : '';
  return `**${exception.type ?? 'Error'}**: ${short(exception.value ?? '')}${how}`;
}

/** Raised last in the chain first (Sentry lists the cause first). */
function exceptionsNewestFirst(event: SentryEvent): ExceptionValue[] {
  return [...(event.exception?.values ?? [])].reverse();
}

/**
 * Each exception, newest first, with its frames: in-app frames first (innermost call first, with
 * the source line), then the rest. `allFrames: false` keeps the in-app ones and counts the rest.
 */
export function stacktraceMarkdown(event: SentryEvent, allFrames: boolean): string {
  const exceptions = exceptionsNewestFirst(event);
  if (exceptions.length === 0) {
    const thread = event.threads?.values.find((candidate) => candidate.crashed || candidate.current) ?? event.threads?.values[0];
    if (!thread?.stacktrace) return '_No stack trace in this event._';
    exceptions.push({ type: 'Thread', value: thread.name ?? String(thread.id ?? ''), stacktrace: thread.stacktrace });
  }
  const lines: string[] = [];
  exceptions.forEach((exception, index) => {
    lines.push(`${index === 0 ? '' : 'Caused by '}${exceptionHeading(exception)}`, '');
    const resolved = exception.stacktrace?.frames ?? [];
    // Symbolication keeps one resolved frame per frame sent, in the same order.
    const sentFrames = exception.raw_stacktrace?.frames;
    const sentOf = new Map(sentFrames?.length === resolved.length ? resolved.map((frame, at) => [frame, sentFrames[at]]) : []);
    const frames = [...resolved].reverse();
    const inApp = frames.filter((frame) => frame.in_app);
    const other = frames.filter((frame) => !frame.in_app);
    const shown = (allFrames ? [...inApp, ...other] : inApp.length > 0 ? inApp : other).slice(0, MAX_FRAMES_PER_EXCEPTION);
    for (const frame of shown) lines.push(...frameMarkdown(frame, frame.in_app === true || inApp.length === 0, sentOf.get(frame)));
    const hidden = frames.length - shown.length;
    if (hidden > 0) lines.push(`- _${hidden} more frame${hidden === 1 ? '' : 's'} not shown_`);
    lines.push('');
  });
  return lines.join('\n').trimEnd();
}

function crumbText(crumb: Breadcrumb): string {
  if (crumb.message) return short(crumb.message, 200);
  const data = crumb.data ?? {};
  if ('url' in data || 'method' in data) {
    return short(`${data.method ?? ''} ${data.url ?? ''}${data.status_code !== undefined ? ` → ${data.status_code}` : ''}`, 200);
  }
  return Object.keys(data).length > 0 ? short(data, 200) : '';
}

/** The last `limit` breadcrumbs, oldest first (as they happened, leading up to the error). */
export function breadcrumbsMarkdown(event: SentryEvent, limit = 10): string {
  const crumbs = event.breadcrumbs?.values ?? [];
  if (crumbs.length === 0) return '_No breadcrumbs._';
  const shown = crumbs.slice(-limit);
  const lines = crumbs.length > shown.length ? [`_${crumbs.length - shown.length} earlier breadcrumbs not shown_`] : [];
  for (const crumb of shown) {
    const at = crumb.timestamp === undefined ? '' : `${new Date(crumb.timestamp * 1000).toISOString().slice(11, 23)} `;
    lines.push(`- ${at}[${crumb.category ?? crumb.type ?? 'default'}${crumb.level && crumb.level !== 'info' ? `/${crumb.level}` : ''}] ${crumbText(crumb)}`);
  }
  return lines.join('\n');
}

function requestMarkdown(event: SentryEvent): string | null {
  const request = event.request;
  if (!request?.url && !request?.method) return null;
  return `${request.method ?? ''} ${short(request.url ?? '', 500)}`.trim();
}

function userMarkdown(event: SentryEvent): string | null {
  const user = event.user;
  if (!user) return null;
  const parts = (['id', 'email', 'username', 'ip_address'] as const)
    .filter((key) => user[key] !== undefined)
    .map((key) => `${key}=${short(user[key], 100)}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** One event in full, as a model reads it: exception chain with in-app frames, breadcrumbs, tags, request, user. */
export function eventMarkdown(detail: EventDetail): string {
  const { event } = detail;
  const lines = [
    `## Event ${code(detail.eventId)}`,
    '',
    `${detail.timestamp} · ${detail.level}${detail.release ? ` · release ${detail.release}` : ''}${detail.environment ? ` · ${detail.environment}` : ''} · ${event.platform}`,
  ];
  if (event.message && !event.exception) lines.push('', `Message: ${short(event.message, 1000)}`);
  if (event.exception || event.threads) lines.push('', '### Exception', '', stacktraceMarkdown(event, false));
  lines.push('', '### Breadcrumbs (last 10)', '', breadcrumbsMarkdown(event, 10));
  const tags = event.tags ?? [];
  if (tags.length > 0) lines.push('', '### Tags', '', tags.map(([key, value]) => `${key}=${short(value, 100)}`).join(', '));
  const request = requestMarkdown(event);
  if (request) lines.push('', '### Request', '', request);
  const user = userMarkdown(event);
  if (user) lines.push('', '### User', '', user);
  return lines.join('\n');
}

export function issueHeaderMarkdown(issue: IssueDetail): string {
  const lines = [
    `# Issue ${issue.id}: ${short(issue.title, 200)}`,
    '',
    `- Level: ${issue.level} · Status: ${issue.status}${issue.resolvedInNextRelease ? ' (in next release)' : ''}` +
      `${issue.isRegression ? ' · regressed' : ''}${issue.isNew ? ' · new' : ''}`,
    `- Events: ${issue.count} · Users: ${issue.userCount}`,
    `- First seen: ${seen(issue.firstSeen, issue.firstRelease)}`,
    `- Last seen: ${seen(issue.lastSeen, issue.lastRelease)}`,
  ];
  if (issue.culprit) lines.push(`- Culprit: ${code(short(issue.culprit, 200))}`);
  if (issue.environments.length > 0) lines.push(`- Environments: ${issue.environments.join(', ')}`);
  return lines.join('\n');
}

/** `get_issue_details` and `stacktray show`: the issue, then one event of it in full, then what to call next. */
export function issueMarkdown(issue: IssueDetail, event: EventDetail | null): string {
  const parts = [issueHeaderMarkdown(issue)];
  if (event) parts.push(eventMarkdown(event));
  else parts.push('_No stored event (all were removed by retention)._');
  const hintEvent = event ? ` (eventId ${code(event.eventId)})` : '';
  parts.push(
    `Next: get_event_stacktrace or get_issue_breadcrumbs with issueId ${code(String(issue.id))}${hintEvent} for all frames or crumbs; ` +
      `get_issue_tag_values for tag counts; search_issue_events for its other events; update_issue to resolve it.`,
  );
  return bounded(parts.join('\n\n'), MAX_ANSWER_CHARS, 'call get_event_stacktrace or get_issue_breadcrumbs for the parts');
}

export function tagValuesMarkdown(issue: IssueDetail, tagKey: string): string {
  const tag = issue.tags.find((candidate) => candidate.key === tagKey);
  if (!tag) {
    const keys = issue.tags.map((candidate) => candidate.key);
    return `Issue ${issue.id} has no tag ${code(tagKey)}.${keys.length > 0 ? ` Its tags: ${keys.map(code).join(', ')}.` : ''}`;
  }
  const total = tag.values.reduce((sum, value) => sum + value.count, 0);
  const lines = [`# Tag ${code(tagKey)} of issue ${issue.id} (${total} events)`, ''];
  for (const value of tag.values.slice(0, 50)) {
    lines.push(`- ${code(short(value.value, 200))}: ${value.count} (${Math.round((value.count / Math.max(total, 1)) * 100)}%)`);
  }
  if (tag.values.length > 50) lines.push(`- _${tag.values.length - 50} more values not shown_`);
  return lines.join('\n');
}

export type LineFormat = 'human' | 'json' | 'logfmt' | 'md';
export const LINE_FORMATS: readonly LineFormat[] = ['human', 'json', 'logfmt', 'md'];

const LEVEL_COLOURS: Record<string, string> = { fatal: '35', error: '31', warning: '33', info: '36', debug: '90' };

function logfmtValue(value: string): string {
  return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
}

/** One event as one line (`tail`). `newEvents` > 1: the stream folded that many events of the issue into one message. */
export function eventLine(event: EventSummary, format: LineFormat, options: { colour?: boolean; newEvents?: number } = {}): string {
  const newEvents = options.newEvents ?? 1;
  const title = short(event.title, 500);
  switch (format) {
    case 'json':
      return JSON.stringify({ ...event, title, newEvents });
    case 'logfmt':
      return Object.entries({ ...event, title, newEvents })
        .filter(([, value]) => value !== null)
        .map(([key, value]) => `${key}=${logfmtValue(String(value))}`)
        .join(' ');
    case 'md':
      return `- ${event.timestamp} **${event.level}** ${title} (issue ${event.issueId}, event ${code(event.eventId)}${newEvents > 1 ? `, +${newEvents - 1} more` : ''})`;
    case 'human': {
      const level = event.level.toUpperCase().padEnd(7);
      const paint = (colour: string, text: string) => (options.colour ? `\u001b[${colour}m${text}\u001b[0m` : text);
      const more = newEvents > 1 ? ` (+${newEvents - 1} more)` : '';
      const release = event.release ? ` ${event.release}` : '';
      return `${event.timestamp.slice(11, 19)} ${paint(LEVEL_COLOURS[event.level] ?? '0', level)} #${event.issueId} ${title}${paint('90', `${release}${more}`)}`;
    }
  }
}

/** One issue as one line (`stacktray issues`). */
export function issueLine(issue: Issue, format: LineFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(issue);
    case 'logfmt':
      return (['id', 'status', 'level', 'count', 'userCount', 'lastSeen', 'title'] as const)
        .map((key) => `${key}=${logfmtValue(String(issue[key]))}`)
        .join(' ');
    case 'md':
      return `- **${issue.id}** ${short(issue.title, 200)} — ${issue.level}, ${issue.status}, ${issue.count} events, last seen ${issue.lastSeen}`;
    case 'human':
      return `${String(issue.id).padStart(6)}  ${issue.status.padEnd(10)} ${issue.level.padEnd(7)} ${String(issue.count).padStart(6)}  ${short(issue.title, 100)}`;
  }
}
