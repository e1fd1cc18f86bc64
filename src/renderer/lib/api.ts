/**
 * The renderer's API client: the shared client against the page's own origin (the core serves
 * the UI, so `/api/...` is always same-origin). A Stacktray listening beyond loopback wants its
 * API token: the page keeps it in localStorage, per origin, and asks for it when challenged.
 */
import { ApiRequestError, asksForToken, createApiClient } from '../../shared/api-client';

export { ApiRequestError };
export type { DeepPartial } from '../../shared/api-client';

const TOKEN_KEY = 'stacktray.apiToken';

/** The API token, kept per origin: a Stacktray on another machine is its own origin. */
export const apiToken = {
  get(): string | null {
    try {
      return localStorage.getItem(TOKEN_KEY) || null;
    } catch {
      return null; // storage disabled: the loopback UI needs no token anyway
    }
  },
  set(token: string): void {
    localStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    localStorage.removeItem(TOKEN_KEY);
  },
};

/** "missing": no token saved yet; "rejected": the saved one stopped working (e.g. another data folder). */
export type TokenDemand = 'missing' | 'rejected';
const tokenListeners = new Set<(demand: TokenDemand) => void>();

/** Called whenever the server asks for the API token; returns an unsubscribe. */
export function onTokenRequired(listener: (demand: TokenDemand) => void): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

const client = createApiClient({
  baseUrl: '',
  token: () => apiToken.get(),
  onTokenChallenge: (sent) => {
    // Only the token this call sent: another tab may have saved a good one meanwhile.
    if (sent !== null && apiToken.get() === sent) apiToken.clear();
    for (const listener of tokenListeners) listener(sent === null ? 'missing' : 'rejected');
  },
});

/** Tries a token the user typed; saves it only if the server takes it. */
async function signIn(typed: string): Promise<'accepted' | 'rejected'> {
  const token = typed.trim();
  if (!token) return 'rejected';
  try {
    await client.infoWithToken(token);
  } catch (error) {
    if (asksForToken(error)) return 'rejected';
    throw error;
  }
  apiToken.set(token);
  return 'accepted';
}

const { links: clientLinks, ...calls } = client;

/** Every call of the UI. */
export const api = { ...calls, signIn };

/** Links the browser follows itself (downloads, the stream): built by the client so components never assemble URLs. */
export const links = clientLinks;
