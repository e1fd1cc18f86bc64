/** The one place errors and confirmations surface: a short-lived toast. */
import { ApiRequestError } from '../api';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

class Notices {
  items = $state<Notice[]>([]);
  #nextId = 1;

  info(text: string): void {
    this.#push('info', text);
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

  #push(kind: Notice['kind'], text: string): void {
    const id = this.#nextId++;
    this.items = [...this.items.slice(-3), { id, kind, text }];
    setTimeout(() => this.dismiss(id), kind === 'error' ? 8000 : 3500);
  }
}

export const notices = new Notices();
