/**
 * The forwarding service: sends queued envelopes to their projects' upstreams, one at a time per
 * upstream and oldest first, and settles each by the policy (policy.ts). Started and stopped with
 * the core; a stop aborts what is in flight, which stays queued and is sent after the next start.
 */
import type { ForwardQueue, QueuedEnvelope } from '../store/forward-queue';
import { withUpstreamDsn } from './envelope-bytes';
import { planAfterAnswer, planAfterNetworkError, type Plan, type RetryPolicy } from './policy';
import { authHeader, parseUpstreamDsn } from './upstream-dsn';

export interface SenderOptions {
  retry: RetryPolicy;
  /** An upstream that has not answered by then is given up on for this attempt. */
  timeoutMs: number;
  /** sentry_client in X-Sentry-Auth and the User-Agent. */
  client: string;
  log: (level: 'info' | 'warn', line: string) => void;
  random?: () => number;
}

/** Even with nothing known to wait for, look at the queue again this often (ms). */
const IDLE_RECHECK_MS = 30_000;

export class ForwardSender {
  private stopped = false;
  private woken = false;
  private wakeup: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly queue: ForwardQueue, private readonly options: SenderOptions) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Something was queued (or an upstream changed): look again now. */
  wake(): void {
    this.woken = true;
    const wakeup = this.wakeup;
    this.wakeup = null;
    wakeup?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      const due = this.queue.due(Date.now() / 1000);
      if (due.length > 0) await Promise.all(due.map((envelope) => this.deliver(envelope)));
      else await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.woken || this.stopped) return Promise.resolve();
    const retryAt = this.queue.nextRetryAt();
    // Never less than a few ms: nothing was due just now, so a time already past must not spin.
    const waitMs = retryAt === null ? IDLE_RECHECK_MS : Math.min(IDLE_RECHECK_MS, Math.max(0, retryAt * 1000 - Date.now()) + 5);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeup = null;
        resolve();
      }, waitMs);
      this.wakeup = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async deliver(envelope: QueuedEnvelope): Promise<void> {
    const checked = parseUpstreamDsn(envelope.upstreamDsn);
    if (!checked.ok) {
      this.settle(envelope, { kind: 'drop', reason: checked.reason });
      return;
    }
    const { upstream } = checked;
    const failures = this.queue.failuresOf(envelope.projectId);
    const random = (this.options.random ?? Math.random)();
    let plan: Plan;
    try {
      const response = await fetch(upstream.envelopeUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-sentry-envelope',
          'user-agent': this.options.client,
          'x-sentry-auth': authHeader(upstream, this.options.client),
        },
        body: withUpstreamDsn(envelope.body, upstream.dsn),
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]),
        redirect: 'error',
      });
      const body = (await response.text()).slice(0, 2000);
      const headers: Record<string, string | undefined> = {
        'retry-after': response.headers.get('retry-after') ?? undefined,
        'x-sentry-rate-limits': response.headers.get('x-sentry-rate-limits') ?? undefined,
      };
      plan = planAfterAnswer({ status: response.status, headers, body }, Date.now(), failures, random, this.options.retry);
    } catch (error) {
      if (this.stopped) return;
      plan = planAfterNetworkError(networkMessage(error, this.options.timeoutMs), Date.now(), failures, random, this.options.retry);
    }
    if (this.stopped && plan.kind === 'retry') return;
    this.settle(envelope, plan);
    if (plan.kind === 'drop') this.options.log('warn', `forwarding: dropped an envelope of project ${envelope.projectId}: ${plan.reason}`);
    else if (plan.kind === 'retry' && failures === 0) {
      this.options.log('warn', `forwarding: project ${envelope.projectId} waits until ${new Date(plan.atMs).toISOString()}: ${plan.reason}`);
    }
  }

  private settle(envelope: QueuedEnvelope, plan: Plan): void {
    const now = Date.now() / 1000;
    switch (plan.kind) {
      case 'delivered':
        this.queue.markDelivered(envelope, now, plan.pauseUntilMs === null ? null : plan.pauseUntilMs / 1000);
        return;
      case 'drop':
        this.queue.markRejected(envelope, plan.reason, now);
        return;
      case 'retry':
        this.queue.markRetry(envelope, plan.reason, now, plan.atMs / 1000, plan.failure);
        return;
    }
  }
}

function networkMessage(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
