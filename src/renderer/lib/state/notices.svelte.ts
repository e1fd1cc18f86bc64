/** The one place errors and confirmations surface: a short-lived toast. */
import { ApiRequestError } from '../api';

/** A button on the toast (e.g. Undo); the toast closes when it is used. */
export interface NoticeAction {
  label: string;
  run: () => void;
}

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
  action?: NoticeAction;
}

class Notices {
  items = $state<Notice[]>([]);
  #nextId = 1;

  info(text: string, action?: NoticeAction): void {
    this.#push('info', text, action);
  }

  error(error: unknown): void {
    this.#push('error', this.message(error));
  }

  message(error: unknown): string {
    if (error instanceof ApiRequestError) return error.detail;
    if (error instanceof Error) return error.message;
    return String(error);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }

  /** Runs a toast's action once, then closes the toast. */
  act(id: number): void {
    const action = this.items.find((n) => n.id === id)?.action;
    this.dismiss(id);
    action?.run();
  }

  #push(kind: Notice['kind'], text: string, action?: NoticeAction): void {
    const id = this.#nextId++;
    this.items = [...this.items.slice(-3), action ? { id, kind, text, action } : { id, kind, text }];
    // A toast with an action stays long enough to reach for it.
    setTimeout(() => this.dismiss(id), kind === 'error' || action ? 8000 : 3500);
  }
}

export const notices = new Notices();
