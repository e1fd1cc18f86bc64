import type { Stacktrace } from '../../../shared/event';
import type { GroupingComponent } from '../../../shared/grouping';
import { branch, exclude } from './components';
import { frameComponent, type VariantKind } from './frame';
import { isInApp } from './in-app';

/** Whether two frames group alike (line numbers aside): direct recursion repeats a frame. */
function sameGroupingIdentity(a: GroupingComponent, b: GroupingComponent): boolean {
  const left = a.values.filter(isComparedPart);
  const right = b.values.filter(isComparedPart);
  if (left.length !== right.length) return false;
  return left.every((part, index) => {
    const other = right[index];
    return (
      other !== undefined &&
      part.id === other.id &&
      part.contributes === other.contributes &&
      part.values.length === other.values.length &&
      part.values.every((value, at) => value === other.values[at])
    );
  });
}

function isComparedPart(part: GroupingComponent | string): part is GroupingComponent {
  return typeof part !== 'string' && part.id !== 'lineno';
}

export function hasInAppFrames(stacktrace: Stacktrace | undefined, eventPlatform: string): boolean {
  return (stacktrace?.frames ?? []).some((frame) => isInApp(frame, eventPlatform));
}

export function stacktraceComponent(stacktrace: Stacktrace, eventPlatform: string, variant: VariantKind): GroupingComponent {
  const frames: GroupingComponent[] = [];
  let previous: GroupingComponent | undefined;
  for (const frame of stacktrace.frames) {
    const component = frameComponent(frame, eventPlatform, variant);
    if (component.contributes && previous !== undefined && sameGroupingIdentity(component, previous)) {
      exclude(component, 'ignored due to recursion');
    }
    previous = component;
    frames.push(component);
  }
  const component = branch('stacktrace', frames);
  if (frames.length === 0) component.hint = 'ignored because it contains no frames';
  else if (variant === 'app' && !hasInAppFrames(stacktrace, eventPlatform)) {
    exclude(component, 'ignored because it contains no in-app frames');
  } else if (!component.contributes) component.hint ??= 'ignored because no frame contributes';
  return component;
}
