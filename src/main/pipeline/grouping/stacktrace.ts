import type { Stacktrace } from '../../../shared/event';
import type { GroupingComponent } from '../../../shared/grouping';
import { branch, exclude } from './components';
import { frameComponent, type VariantKind } from './frame';
import { isInApp } from './in-app';

/** The grouping-relevant identity of a frame, to spot direct recursion. */
function frameKey(frame: GroupingComponent): string {
  return JSON.stringify(
    frame.values.flatMap((child) =>
      typeof child === 'string' || child.id === 'lineno' ? [] : [[child.id, child.contributes, ...child.values]],
    ),
  );
}

export function hasInAppFrames(stacktrace: Stacktrace | undefined, eventPlatform: string): boolean {
  return (stacktrace?.frames ?? []).some((frame) => isInApp(frame, eventPlatform));
}

export function stacktraceComponent(stacktrace: Stacktrace, eventPlatform: string, variant: VariantKind): GroupingComponent {
  const frames: GroupingComponent[] = [];
  let previousKey: string | undefined;
  for (const frame of stacktrace.frames) {
    const component = frameComponent(frame, eventPlatform, variant);
    const key = frameKey(component);
    if (key === previousKey && component.contributes) exclude(component, 'ignored due to recursion');
    previousKey = key;
    frames.push(component);
  }
  const component = branch('stacktrace', frames);
  if (frames.length === 0) component.hint = 'ignored because it contains no frames';
  else if (variant === 'app' && !hasInAppFrames(stacktrace, eventPlatform)) {
    exclude(component, 'ignored because it contains no in-app frames');
  } else if (!component.contributes) component.hint ??= 'ignored because no frame contributes';
  return component;
}
