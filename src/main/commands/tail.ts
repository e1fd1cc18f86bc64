/** `stacktray tail`: one line per new event as it arrives, from the live stream (`/api/stream`). */
import type { StreamMessage } from '../../shared/api';
import type { Level } from '../../shared/event';
import { LINE_FORMATS, eventLine } from '../../shared/event-text';
import {
  apiClientFor,
  CommandError,
  notRunningHint,
  oneOf,
  parseFlags,
  serverOptions,
  serverUrl,
  SERVER_FLAGS_USAGE,
  type Command,
} from './command';
import { findProject } from './projects';

const LEVELS: readonly Level[] = ['fatal', 'error', 'warning', 'info', 'debug'];
const RECONNECT_MS = 1000;

const USAGE = `Usage: stacktray tail [--project <id|name>] [--level <level>] [--format <format>]

Prints one line per new event as it arrives (coloured on a terminal). Ctrl-C stops it.
Events of one issue that arrive together come as one line saying how many.

  --project       only this project (id or name)
  --level         only events at this level or worse: ${LEVELS.join(' | ')}
  --format        human | json | logfmt | md (default human)
${SERVER_FLAGS_USAGE}`;

export const tailCommand: Command = {
  name: 'tail',
  summary: 'print new events as they arrive',
  usage: USAGE,
  async run(argv) {
    const { values } = parseFlags(argv, { ...serverOptions, project: { type: 'string' }, level: { type: 'string' }, format: { type: 'string' } });
    if (values.help) return (console.log(USAGE), 0);
    const format = oneOf(values.format, LINE_FORMATS, '--format', 'human');
    const minLevel = values.level === undefined ? undefined : oneOf(values.level, LEVELS, '--level', 'debug');
    const url = serverUrl(values.url);
    const { createParser } = await import('eventsource-parser');
    const api = apiClientFor(url, values.token);
    const project = values.project === undefined ? undefined : await findProject(api, values.project);
    const colour = format === 'human' && process.stdout.isTTY === true && !process.env.NO_COLOR;
    const worstFirst = (level: string) => LEVELS.indexOf(level as Level);

    const stop = new AbortController();
    const stopped = new Promise<void>((resolve) => {
      const onSignal = () => (stop.abort(), resolve());
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    });

    const onMessage = (message: StreamMessage) => {
      if (message.type !== 'event.created') return;
      const { event } = message;
      if (project !== undefined && event.projectId !== project.id) return;
      if (minLevel !== undefined && worstFirst(event.level) > worstFirst(minLevel)) return;
      process.stdout.write(`${eventLine(event, format, { colour, newEvents: message.newEvents })}\n`);
    };

    let everConnected = false;
    while (!stop.signal.aborted) {
      let response: Response;
      try {
        response = await fetch(api.links.stream(), { headers: { accept: 'text/event-stream' }, signal: stop.signal });
      } catch {
        if (stop.signal.aborted) break;
        if (!everConnected) throw new CommandError(notRunningHint(url));
        await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, RECONNECT_MS))]);
        continue;
      }
      if (!response.ok || !response.body) throw new CommandError(`${url}/api/stream answered ${response.status}`);
      const parser = createParser({
        onEvent: (sse) => {
          if (sse.event === 'ready') {
            console.error(everConnected ? 'stacktray tail: reconnected' : `stacktray tail: waiting for events from ${url} (Ctrl-C stops)`);
            everConnected = true;
            return;
          }
          onMessage(JSON.parse(sse.data) as StreamMessage);
        },
      });
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      } catch {
        // Aborted by Ctrl-C, or the server went away: the loop decides.
      }
      if (!stop.signal.aborted) console.error('stacktray tail: the stream ended; reconnecting…');
    }
    return 0;
  },
};
