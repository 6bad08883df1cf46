// HTTP helpers for the server tests: JSON requests with a timeout, and a server-sent events reader that stops at
// the first terminal event (done/error) or after a deadline.
export async function http(url: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; headers: Headers; text: string; body: any }> {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    ...(json !== undefined ? { method: rest.method ?? 'POST', body: typeof json === 'string' ? json : JSON.stringify(json), headers: { 'content-type': 'application/json', ...(rest.headers ?? {}) } } : {}),
    signal: rest.signal ?? AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export interface SseEvent {
  id: string;
  event: string;
  data: any;
}

/** Reads a run's event stream until a done/error event (or `timeoutMs`), with an optional Last-Event-ID. */
export async function readEvents(url: string, lastEventId?: string, timeoutMs = 120_000): Promise<SseEvent[]> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: AbortSignal.timeout(timeoutMs) });
  if (res.status !== 200) throw new Error(`events: HTTP ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let k: number;
    while ((k = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, k);
      buf = buf.slice(k + 2);
      const e: SseEvent = { id: '', event: 'message', data: null };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id:')) e.id = line.slice(3).trim();
        else if (line.startsWith('event:')) e.event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (!data.length) continue;
      e.data = JSON.parse(data.join('\n'));
      events.push(e);
      if (e.event === 'done' || e.event === 'error') {
        await reader.cancel().catch(() => undefined);
        return events;
      }
    }
  }
  return events;
}
