import type { SentryEvent } from '../../../shared/event';
import type { GroupingComponent } from '../../../shared/grouping';
import { branch, contributingValues, exclude, leaf, sameValues } from './components';
import { messageTemplate } from './event-facts';
import { exceptionsComponent } from './exceptions';
import type { VariantKind } from './frame';
import { normalizeMessageForGrouping } from './parameterize';
import { stacktraceComponent } from './stacktrace';

export interface ComponentVariant {
  key: string;
  description: string;
  component: GroupingComponent;
}

function hasContributing(component: GroupingComponent, id: string): boolean {
  if (!component.contributes) return false;
  if (component.id === id) return true;
  return component.values.some((child) => typeof child !== 'string' && hasContributing(child, id));
}

/** The thread that crashed, or the only thread with a stack: others are bystanders. */
function threadsComponent(event: SentryEvent, variant: VariantKind): GroupingComponent | undefined {
  const threads = event.threads?.values ?? [];
  const withStack = threads.filter((thread) => thread.stacktrace && thread.stacktrace.frames.length > 0);
  const chosen = withStack.find((thread) => thread.crashed) ?? (withStack.length === 1 ? withStack[0] : undefined);
  if (!chosen?.stacktrace) return undefined;
  return branch('threads', [stacktraceComponent(chosen.stacktrace, event.platform, variant)]);
}

function stackComponent(event: SentryEvent, variant: VariantKind): GroupingComponent | undefined {
  const exceptions = event.exception?.values ?? [];
  if (exceptions.length > 0) return exceptionsComponent(exceptions, event.platform, variant);
  return threadsComponent(event, variant);
}

function messageComponent(event: SentryEvent): GroupingComponent | undefined {
  const template = messageTemplate(event);
  if (template === undefined) return undefined;
  const normalized = normalizeMessageForGrouping(template);
  return leaf('message', normalized, true, normalized !== template ? 'stripped event-specific values' : undefined);
}

/** The app / system / default variants before any fingerprint is applied. */
export function componentVariants(event: SentryEvent): ComponentVariant[] {
  const variants: ComponentVariant[] = [];
  const appStack = stackComponent(event, 'app');
  const systemStack = stackComponent(event, 'system');
  if (appStack && systemStack) {
    const app = branch('app', [appStack]);
    const system = branch('system', [systemStack]);
    if (hasContributing(system, 'stacktrace') && !hasContributing(app, 'stacktrace')) {
      exclude(app, 'ignored because the system variant has a stack trace and this one has no in-app frames');
    } else if (app.contributes && sameValues(contributingValues(app), contributingValues(system))) {
      // All frames are in-app: one hash says it all.
      exclude(system, 'ignored because hash matches app variant');
    }
    variants.push(
      { key: 'app', description: 'in-app frames only', component: app },
      { key: 'system', description: 'all frames', component: system },
    );
  }
  const message = messageComponent(event);
  if (message) {
    const fallbackMessage = branch('default', [message]);
    if (variants.some((variant) => variant.component.contributes)) {
      exclude(fallbackMessage, 'ignored because exception takes precedence');
    }
    variants.push({ key: 'default', description: 'message', component: fallbackMessage });
  }
  return variants;
}
