/**
 * A loopback OpenAI-compatible server for tests: chat completions (JSON or SSE with a final usage
 * chunk), GET /v1/models, and scripted faults. Tests talk to it through the real `openai` SDK.
 * It records every request body so a test can prove what was (not) sent.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
  /** Visible content (may include <think>…</think>). */
  content?: string;
  finishReason?: string;
  /** null: send no usage at all (as some servers do in streams). */
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number; reasoning_tokens?: number; cost?: number } | null;
  /** An HTTP error instead of a completion. */
  status?: number;
  /** Raw body to send as is (with `status`, or 200). */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** MiniMax-style error inside an HTTP 200. */
  baseResp?: { status_code: number; status_msg: string };
  /** Cut the connection after this many content chunks. */
  dropAfterChunks?: number;
  /** Send this many content chunks, then nothing more (the connection stays open): a stalled stream. */
  stallAfterChunks?: number;
  /** Reset the connection before answering. */
  reset?: boolean;
  /** Pause before each streamed chunk, as a slow model would. */
  chunkDelayMs?: number;
  /** Send an empty chunk (no content, no finish) this often, for ever: a stream that trickles and never ends. */
  trickleEmptyEveryMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  rawBody: string;
}

export type Responder = (request: RecordedRequest) => ScriptedReply;

export class FakeModelServer {
  readonly requests: RecordedRequest[] = [];
  /** performance.now() when each chat request arrived and when its first chunk was written. */
  readonly timings: Array<{ receivedAt: number; firstChunkAt?: number }> = [];
  private readonly queue: ScriptedReply[] = [];
  private responder: Responder = () => ({ content: 'TITLE: none' });
  private server: http.Server | undefined;
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  model = 'MiniMax-M2.7';
  /** Other GET routes a gateway answers (LiteLLM's /key/info, OpenRouter's /key), by path. */
  readonly getRoutes = new Map<string, () => { status?: number; body: unknown }>();

  /** Starts on a free loopback port; returns the base URL (…/v1). */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  /** Replies used in order, before the responder. */
  enqueue(...replies: ScriptedReply[]): void {
    this.queue.push(...replies);
  }

  respondWith(responder: Responder): void {
    this.responder = responder;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  /** Resolves once `count` chat requests have arrived in all. */
  waitForChatRequests(count: number): Promise<void> {
    if (this.chatRequests().length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const timing: { receivedAt: number; firstChunkAt?: number } = { receivedAt: performance.now() };
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const path = (req.url ?? '/').split('?')[0];
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, rawBody };
    this.requests.push(recorded);

    const extra = req.method === 'GET' ? this.getRoutes.get(path) : undefined;
    if (extra) {
      const r = extra();
      return json(res, r.status ?? 200, r.body);
    }
    if (req.method === 'GET' && path.endsWith('/models')) {
      return json(res, 200, { object: 'list', data: [{ id: this.model, object: 'model', owned_by: 'fake' }] });
    }
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) return json(res, 404, { error: { message: 'not found' } });

    this.timings.push(timing);
    for (const w of [...this.waiters]) {
      if (this.chatRequests().length >= w.count) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    const reply = this.queue.shift() ?? this.responder(recorded);
    if (reply.reset) {
      req.socket.destroy();
      return;
    }
    if (reply.rawBody !== undefined || reply.status) {
      res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json', ...reply.headers });
      res.end(reply.rawBody ?? JSON.stringify({ error: { message: `scripted ${reply.status}`, type: 'error' } }));
      return;
    }
    const request = (body ?? {}) as { model?: unknown; stream?: boolean; messages?: Array<{ content?: string }>; stream_options?: { include_usage?: boolean } };
    const content = reply.content ?? '';
    const usage = reply.usage === null ? undefined : toUsage(reply.usage ?? defaultUsage(request, content));
    const finish = reply.finishReason ?? 'stop';
    // Like real servers, the answer names the model asked for.
    const base = { id: 'chatcmpl-fake', created: Math.floor(Date.now() / 1000), model: typeof request.model === 'string' ? request.model : this.model };
    const baseResp = reply.baseResp ? { base_resp: reply.baseResp } : {};

    if (!request.stream) {
      return json(res, 200, {
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
        ...(usage ? { usage } : {}),
        ...baseResp,
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
    const send = (data: unknown) => {
      timing.firstChunkAt ??= performance.now();
      res.write(`data: ${JSON.stringify(data)}\n\n`);
    };
    const pieces = content.match(/[\s\S]{1,16}/g) ?? [];
    if (reply.trickleEmptyEveryMs !== undefined) {
      const timer = setInterval(() => send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: null }] }), reply.trickleEmptyEveryMs);
      await new Promise<void>((resolve) => res.on('close', () => resolve()));
      clearInterval(timer);
      return;
    }
    if (reply.baseResp) send({ ...base, object: 'chat.completion.chunk', choices: [], ...baseResp });
    for (const [i, piece] of pieces.entries()) {
      if (reply.dropAfterChunks !== undefined && i >= reply.dropAfterChunks) {
        // Cut the connection once what was written so far has reached the client.
        res.write(': cut\n\n', () => res.socket?.destroy());
        return;
      }
      if (reply.stallAfterChunks !== undefined && i >= reply.stallAfterChunks) {
        // Hold the connection open, silent, until the client gives up.
        await new Promise<void>((resolve) => res.on('close', () => resolve()));
        return;
      }
      if (reply.chunkDelayMs) await new Promise((r) => setTimeout(r, reply.chunkDelayMs));
      if (res.destroyed) return;
      send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
    }
    send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }] });
    if (usage && request.stream_options?.include_usage) send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
    res.end('data: [DONE]\n\n');
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function defaultUsage(request: { messages?: Array<{ content?: string }> }, content: string) {
  const promptChars = (request.messages ?? []).reduce((n, m) => n + (m.content?.length ?? 0), 0);
  return { prompt_tokens: Math.ceil(promptChars / 4), completion_tokens: Math.ceil(content.length / 4) + 50, reasoning_tokens: 50 };
}

function toUsage(u: NonNullable<ScriptedReply['usage']>) {
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
    // OpenRouter reports what the call cost.
    ...(u.cost !== undefined ? { cost: u.cost } : {}),
  };
}
