/** Reads the live stream (`GET /api/stream`) as text, for tests that wait for a message. */
export interface StreamReader {
  status: number;
  contentType: string | null;
  corsOrigin: string | null;
  /** Everything read so far. */
  text(): string;
  /** Reads until the text so far matches; throws if the stream ends first. */
  readUntil(pattern: RegExp): Promise<RegExpExecArray>;
  close(): void;
}

export async function openStream(baseUrl: string): Promise<StreamReader> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/stream`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    corsOrigin: response.headers.get('access-control-allow-origin'),
    text: () => text,
    async readUntil(pattern) {
      for (;;) {
        const match = pattern.exec(text);
        if (match) return match;
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}`);
        text += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
}
