/** "Copy as Markdown": an issue and its shown event, ready to paste into a bug report. Pure. */
import type { EventDetail } from '../../shared/api';
import type { IssueDetail } from '../../shared/issue';
import { rawStacktrace, shownExceptions } from './stacktrace';

export function issueMarkdown(issue: IssueDetail, event: EventDetail | null, link: string): string {
  const lines = [
    `### ${issue.title}`,
    '',
    `- **Culprit:** \`${issue.culprit || '—'}\``,
    `- **Status:** ${issue.status} · **Level:** ${issue.level}`,
    `- **Events:** ${issue.count} · **Users:** ${issue.userCount}`,
    `- **First seen:** ${issue.firstSeen}${issue.firstRelease ? ` (release ${issue.firstRelease})` : ''}`,
    `- **Last seen:** ${issue.lastSeen}${issue.lastRelease ? ` (release ${issue.lastRelease})` : ''}`,
  ];
  if (issue.environments.length) lines.push(`- **Environments:** ${issue.environments.join(', ')}`);
  lines.push(`- **Link:** ${link}`);
  if (event) {
    const exceptions = shownExceptions(event.event);
    if (exceptions.length) {
      const fence = '```';
      lines.push('', `#### Stack trace (event \`${event.eventId}\`)`, '', fence, rawStacktrace(exceptions, event.event.platform).trimEnd(), fence);
    } else if (event.event.message) {
      lines.push('', '#### Message', '', '> ' + event.event.message.split('\n').join('\n> '));
    }
    const crumbs = event.event.breadcrumbs?.values.slice(-10) ?? [];
    if (crumbs.length) {
      lines.push('', '#### Last breadcrumbs', '');
      for (const crumb of crumbs) {
        lines.push(`- \`${crumb.category ?? crumb.type ?? 'default'}\` ${crumb.message ?? JSON.stringify(crumb.data ?? {})}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
