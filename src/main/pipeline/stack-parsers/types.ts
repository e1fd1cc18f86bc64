/** What a stack-string parser makes of one runtime's stack text. */
import type { StackFrame } from '../../../shared/event';

export type StackRuntime = 'node' | 'python' | 'java' | 'go' | 'dotnet' | 'ruby';

export interface ParsedException {
  type?: string;
  value?: string;
  module?: string;
  /** Oldest call first, as Sentry orders frames: the last frame raised. */
  frames: StackFrame[];
}

export interface ParsedStack {
  runtime: StackRuntime;
  /** Chained exceptions in Sentry's order: the innermost cause first, the one finally raised last. */
  exceptions: ParsedException[];
}
