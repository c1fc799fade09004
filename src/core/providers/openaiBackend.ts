/**
 * The only module that imports the `openai` SDK. It streams a chat completion from any
 * OpenAI-compatible server, keeps thinking out of the answer, normalizes usage and cost, and
 * turns every failure — including MiniMax's HTTP-200 `base_resp` errors and gateways' budget
 * refusals — into a ModelError with a message for the user. It never retries (ResilientBackend
 * decides that) and never logs or returns the API key.
 */
import type OpenAI from 'openai';
import { AsyncLocalStorage } from 'node:async_hooks';
import { estimateTokens, ModelError, type ChatRequest, type ChatResult, type ModelBackend, CHARS_PER_TOKEN } from './modelBackend';
import type { ModelPrice } from './pricing';
import { ThinkSplitter } from './thinkTags';
import { buildUsageRecord, type RawUsage } from './usage';
import { settingDefault } from '../../shared/settingsSchema';

type OpenAISdk = typeof import('openai');
let sdk: Promise<OpenAISdk> | undefined;

/** The SDK is loaded on the first call, not when the server starts: an idle window never pays its ~30 MB. */
function loadSdk(): Promise<OpenAISdk> {
  // A require() inside a function stays lazy in the esbuild bundle (an import() would pick the
  // package's ESM build, whose types differ from the CommonJS ones this project compiles against).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (sdk ??= Promise.resolve().then(() => require('openai') as OpenAISdk));
}

export interface OpenAIBackendOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  displayName: string;
  /** undefined: the price is unknown and cost is reported as unknown. */
  price: ModelPrice | undefined;
  local?: boolean;
  timeoutMs?: number;
  /** A stream that sends nothing for this long mid-reply is given up (default STREAM_IDLE_MS). */
  streamIdleMs?: number;
  /** A call not finished this long after it was sent is given up, whatever still trickles in (default CALL_TIMEOUT_MS). */
  callTimeoutMs?: number;
  /** Milliseconds, monotonic; injectable for tests. */
  now?: () => number;
}

/** How long a reply may go without a byte before it counts as stalled. */
export const STREAM_IDLE_MS = settingDefault('streamIdleSeconds') * 1000;
/** How long one call may take in all: a stream that keeps sending empty chunks never stalls, but it ends here. */
export const CALL_TIMEOUT_MS = settingDefault('callTimeoutSeconds') * 1000;
/**
 * Told, in a call's own async context, when the SDK hands its HTTP request to fetch: from then on
 * the backend has the prompt and may bill it, even if the call is cancelled before any reply.
 */
const sending = new AsyncLocalStorage<() => void>();

/** How often a streaming reply reports the tokens so far. */
const PROGRESS_MS = 500;

/** Fields some servers add to a chunk or a delta beyond the OpenAI schema. */
interface ExtraChunkFields {
  base_resp?: { status_code?: number; status_msg?: string };
}
interface ExtraDeltaFields {
  reasoning_content?: string;
  reasoning_details?: Array<{ text?: string }>;
}

export class OpenAIBackend implements ModelBackend {
  readonly displayName: string;
  readonly model: string;
  readonly local: boolean;
  private client: OpenAI | undefined;
  private OpenAI: OpenAISdk['OpenAI'] | undefined;
  private readonly options: OpenAIBackendOptions;
  private readonly price: ModelPrice | undefined;
  private readonly now: () => number;

  constructor(options: OpenAIBackendOptions) {
    this.displayName = options.displayName;
    this.model = options.model;
    this.price = options.price;
    this.local = options.local ?? false;
    this.now = options.now ?? (() => performance.now());
    this.options = options;
  }

  private async sdkClient(): Promise<OpenAI> {
    if (!this.client) {
      const { OpenAI } = await loadSdk();
      this.OpenAI = OpenAI;
      // baseURL and apiKey always explicit: the SDK would otherwise read OPENAI_* from the environment.
      this.client = new OpenAI({
        baseURL: this.options.baseURL,
        apiKey: this.options.apiKey,
        maxRetries: 0,
        timeout: this.options.timeoutMs ?? 120_000,
        fetch: (url, init) => {
          sending.getStore()?.();
          return fetch(url, init);
        },
      });
    }
    return this.client;
  }

  async complete(request: ChatRequest): Promise<ChatResult> {
    const startedAt = this.now();
    let firstTokenAt: number | undefined;
    const splitter = new ThinkSplitter();
    let raw = '';
    let reasoning = '';
    let usage: RawUsage | undefined;
    let headerCostUsd: number | undefined;
    let finishReason: string | null = null;
    let model = this.model;
    const record = () => {
      const { answer, thinking } = splitter.end();
      const allThinking = [reasoning.trim(), thinking].filter(Boolean).join('\n');
      const estimate = estimatedUsage(request, answer, allThinking);
      const facts = { usage, estimate, headerCostUsd, startedAt, firstTokenAt, endedAt: this.now() };
      return { answer, thinking: allThinking, usage: buildUsageRecord(facts, this.price) };
    };
    // Our own abort, for a stream that stalls or a call past its deadline; the caller's (a pause) still reaches the request.
    const stall = new AbortController();
    let stalled = false;
    let overdue = false;
    /** The request went out (fetch was called): a cancel from here on may still be billed for the prompt. */
    let sent = false;
    /** The backend answered (status and headers): from then on it is reading the prompt and may bill it. */
    let answered = false;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const idleMs = this.options.streamIdleMs ?? STREAM_IDLE_MS;
    const deadlineMs = this.options.callTimeoutMs ?? CALL_TIMEOUT_MS;
    const awake = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        stalled = true;
        stall.abort();
      }, idleMs);
    };
    const deadline = setTimeout(() => {
      overdue = true;
      stall.abort();
    }, deadlineMs);
    const signal = request.signal ? AbortSignal.any([request.signal, stall.signal]) : stall.signal;
    try {
      const client = await this.sdkClient();
      const { data: stream, response } = await sending.run(
        () => {
          sent = true;
        },
        () =>
          client.chat.completions
            .create(
              {
                model: this.model,
                messages: request.messages,
                stream: true,
                stream_options: { include_usage: true },
                max_completion_tokens: request.maxCompletionTokens,
                temperature: 1,
                top_p: 0.95,
              },
              { signal },
            )
            .withResponse(),
      );
      answered = true;
      const litellmCost = Number.parseFloat(response.headers.get('x-litellm-response-cost') ?? '');
      if (Number.isFinite(litellmCost)) headerCostUsd = litellmCost;
      // A server that ignores `stream: true` answers with one JSON body: that is the answer.
      const contentType = response.headers.get('content-type') ?? '';
      if (/application\/json/i.test(contentType)) return this.wholeReply(await response.json(), request, startedAt, headerCostUsd);
      // Anything else that is not an event stream (a captive portal's page, a proxy's notice) is no answer, and asking again will not make it one.
      if (contentType && !/text\/event-stream/i.test(contentType)) throw this.unreadable(contentType, await response.text().catch(() => ''));
      const limit = replyLimitChars(request.maxCompletionTokens);
      let progressAt = this.now();
      awake();
      for await (const chunk of stream) {
        awake();
        this.throwOnBaseResp((chunk as ExtraChunkFields).base_resp);
        // A server that ignores the output limit is not read for ever: what came is booked.
        if (raw.length + reasoning.length > limit) {
          throw new ModelError('badResponse', `${this.displayName} sent a reply longer than ${Math.round(limit / 1024)} KB, far past the output limit; Nightshift stopped reading it.`);
        }
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = chunk.usage as RawUsage;
        for (const choice of chunk.choices ?? []) {
          const delta = (choice.delta ?? {}) as { content?: string | null } & ExtraDeltaFields;
          const text = (delta.content ?? '') + (delta.reasoning_content ?? '') + (delta.reasoning_details ?? []).map((d) => d.text ?? '').join('');
          if (text && firstTokenAt === undefined) firstTokenAt = this.now();
          if (delta.content) {
            raw += delta.content;
            splitter.push(delta.content);
          }
          if (delta.reasoning_content) reasoning += delta.reasoning_content;
          for (const d of delta.reasoning_details ?? []) reasoning += d.text ?? '';
          if (choice.finish_reason) finishReason = choice.finish_reason;
        }
        if (request.onProgress && this.now() - progressAt >= PROGRESS_MS) {
          progressAt = this.now();
          request.onProgress(Math.round((raw.length + reasoning.length) / CHARS_PER_TOKEN));
        }
      }
      // A stream cut off midway ends quietly in the SDK; a finished one always names its finish reason.
      if (finishReason === null) throw new ModelError('network', `The connection to ${this.displayName} broke off midway through a reply.`);
    } catch (err) {
      // Whatever arrived before a break or a cancel was generated, and is billed: record it once.
      const partial = firstTokenAt !== undefined ? record().usage : undefined;
      // Past the deadline the backend has been working on the prompt for minutes: it is booked (as estimated) and not asked again.
      if (overdue && !request.signal?.aborted && answered) {
        throw new ModelError('network', `${this.displayName} did not finish its reply within ${seconds(deadlineMs)} s (nightshift.callTimeoutSeconds); Nightshift gave up on it.`, { partial: partial ?? record().usage });
      }
      if (overdue && !request.signal?.aborted) throw new ModelError('network', `${this.displayName} did not answer in time. Check the base URL and your connection.`);
      if (stalled) throw new ModelError('network', `${this.displayName} sent nothing for ${seconds(idleMs)} s in the middle of a reply; Nightshift gave up on it.`, { partial });
      // A cancel after the request went out: the prompt was sent and may be billed, so it is
      // booked (as estimated) with whatever arrived; one cancelled before it was sent costs nothing.
      if (request.signal?.aborted) throw new ModelError('aborted', 'The request was cancelled.', { partial: partial ?? (sent ? record().usage : undefined) });
      throw this.toModelError(err, partial);
    } finally {
      clearTimeout(idleTimer);
      clearTimeout(deadline);
    }
    const { answer, thinking, usage: usageRecord } = record();
    return { answer, thinking, rawContent: raw, finishReason, model, usage: usageRecord };
  }

  /** A non-streamed completion body, read as a streamed one would be. */
  private wholeReply(body: unknown, request: ChatRequest, startedAt: number, headerCostUsd: number | undefined): ChatResult {
    const b = (body ?? {}) as { model?: string; usage?: RawUsage; choices?: Array<{ message?: { content?: string | null; reasoning_content?: string }; finish_reason?: string | null }> } & ExtraChunkFields;
    this.throwOnBaseResp(b.base_resp);
    const choice = b.choices?.[0];
    if (!choice) throw new ModelError('badResponse', `${this.displayName} sent a reply without a choice in it.`);
    const raw = choice.message?.content ?? '';
    const splitter = new ThinkSplitter();
    splitter.push(raw);
    const { answer, thinking } = splitter.end();
    const allThinking = [choice.message?.reasoning_content?.trim() ?? '', thinking].filter(Boolean).join('\n');
    const estimate = estimatedUsage(request, answer, allThinking);
    const endedAt = this.now();
    const usage = buildUsageRecord({ usage: b.usage, estimate, headerCostUsd, startedAt, firstTokenAt: endedAt, endedAt }, this.price);
    return { answer, thinking: allThinking, rawContent: raw, finishReason: choice.finish_reason ?? 'stop', model: b.model ?? this.model, usage };
  }

  worstCaseUsd(request: Pick<ChatRequest, 'messages' | 'maxCompletionTokens'>): number {
    if (!this.price) return Number.POSITIVE_INFINITY;
    const promptBytes = request.messages.reduce((n, m) => n + Buffer.byteLength(m.content, 'utf8') + 8, 0);
    const tier = this.price.longContext ?? this.price;
    const input = Math.max(tier.inputPerM, tier.cacheWritePerM ?? 0);
    return ((promptBytes * input + request.maxCompletionTokens * tier.outputPerM) * (1 + (this.price.markup ?? 0))) / 1_000_000;
  }

  estimateUsd(request: Pick<ChatRequest, 'messages'>, outputTokens: number): number | null {
    if (!this.price) return null;
    const promptTokens = request.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
    return ((promptTokens * this.price.inputPerM + outputTokens * this.price.outputPerM) * (1 + (this.price.markup ?? 0))) / 1_000_000;
  }

  /** A 200 reply in a type that is no answer: what it looks like (an HTML page's title, else its first line), for the user. */
  private unreadable(contentType: string, body: string): ModelError {
    const type = contentType.split(';')[0].trim().toLowerCase();
    const what = type === 'text/html' ? 'an HTML page' : `a ${type} reply`;
    const title = /<title[^>]*>([^<]*)</i.exec(body)?.[1];
    const gist = (title ?? body.split('\n').find((l) => l.trim()) ?? '').replace(/\s+/g, ' ').trim().slice(0, 100);
    return new ModelError('badResponse', `${this.displayName} sent a reply Nightshift could not read: ${what}${gist ? ` ("${gist}")` : ''}, not JSON or an event stream. A captive portal or a proxy may be answering in its place; check the network and the base URL.`);
  }

  private throwOnBaseResp(baseResp: ExtraChunkFields['base_resp']): void {
    const code = baseResp?.status_code;
    if (!code) return;
    const name = this.displayName;
    switch (code) {
      case 1002:
        throw new ModelError('rateLimit', `${name} is rate-limiting requests (1002). Nightshift will try again later.`);
      case 1004:
        throw new ModelError('auth', `${name} rejected the API key (1004). Set it with 'Nightshift: Set API Key'.`);
      case 1008:
        throw new ModelError('balance', `${name} reports an insufficient balance (1008). Top up the account, then resume the agent.`);
      default:
        throw new ModelError('badResponse', `${name} answered with error ${code}: ${baseResp?.status_msg ?? 'no message'}.`);
    }
  }

  private toModelError(err: unknown, partial: ChatResult['usage'] | undefined): ModelError {
    if (err instanceof ModelError) return partial && !err.partial ? new ModelError(err.kind, err.message, { status: err.status, retryAfterMs: err.retryAfterMs, partial }) : err;
    const name = this.displayName;
    const OpenAI = this.OpenAI;
    if (!OpenAI) return new ModelError('badResponse', `The OpenAI SDK could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof OpenAI.APIUserAbortError) return new ModelError('aborted', 'The request was cancelled.', { partial });
    if (err instanceof OpenAI.APIConnectionTimeoutError) return new ModelError('network', `${name} did not answer in time. Check the base URL and your connection.`, { partial });
    if (err instanceof OpenAI.APIConnectionError) {
      const message = partial ? `The connection to ${name} broke off midway through a reply.` : `Could not reach ${name}. Check the base URL setting and that the server is running.`;
      return new ModelError('network', message, { partial });
    }
    if (err instanceof OpenAI.APIError) return this.fromStatus(err, partial);
    if (isTransportFailure(err)) {
      const message = partial ? `The connection to ${name} broke off midway through a reply.` : `The connection to ${name} failed. Nightshift will try again later.`;
      return new ModelError('network', message, { partial });
    }
    // A body the SDK could not parse (an HTML page, broken JSON in a stream) lands here.
    const detail = err instanceof Error ? firstLine(err.message) : String(err);
    return new ModelError('badResponse', `${name} sent a reply Nightshift could not read: ${detail}`, { partial });
  }

  private fromStatus(err: InstanceType<OpenAISdk['APIError']>, partial: ChatResult['usage'] | undefined): ModelError {
    const name = this.displayName;
    const status = err.status;
    const body = (err.error ?? {}) as { type?: unknown; message?: unknown; code?: unknown };
    const detail = typeof body.message === 'string' ? firstLine(body.message) : '';
    const extra = { status, partial, retryAfterMs: retryAfterMs(err.headers) };
    if (body.type === 'budget_exceeded' || body.code === 'budget_exceeded') return new ModelError('budget', `${name} refused the call: its gateway budget is used up (${detail || 'budget_exceeded'}). Background work is paused; raise the budget there or wait for it to reset.`, extra);
    if (status === 401) return new ModelError('auth', `${name} rejected the API key (401). Set it with 'Nightshift: Set API Key'.`, extra);
    if (status === 403 && /limit/i.test(detail)) return new ModelError('keyLimit', `${name} refused the call: the key is over its spending limit (403). Raise the key's limit, then resume the agent.`, extra);
    if (status === 403) return new ModelError('auth', `${name} refused the API key (403). Check it, then set it with 'Nightshift: Set API Key'.`, extra);
    if (status === 402) return new ModelError('balance', `${name} reports the account is out of credit (402). Top it up, then resume the agent.`, extra);
    if (status === 429) return new ModelError('rateLimit', `${name} is rate-limiting requests (429). Nightshift will try again later.`, extra);
    if (status !== undefined && (status >= 500 || status === 408)) return new ModelError('server', `${name} had a server error (${status}). Nightshift will try again later.`, extra);
    return new ModelError('badResponse', `${name} refused the request (${status ?? 'no status'})${detail ? `: ${detail}` : '.'}`, extra);
  }
}

/**
 * The most characters of reply (answer and thinking) read for one call: far more than any reply
 * within `maxCompletionTokens` can hold (a token is a few characters), so only a misbehaving
 * server reaches it.
 */
export function replyLimitChars(maxCompletionTokens: number): number {
  return Math.max(256 * 1024, maxCompletionTokens * 32);
}

/** Usage as estimated from the texts, for a server that reports none. */
function estimatedUsage(request: ChatRequest, answer: string, thinking: string) {
  const reasoningTokens = estimateTokens(thinking);
  const inputTokens = request.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
  return { inputTokens, cachedInputTokens: 0, outputTokens: estimateTokens(answer) + reasoningTokens, reasoningTokens };
}

/** fetch's own failures while reading a body: a reset or closed socket ("terminated"). */
function isTransportFailure(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof SyntaxError) return false;
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return err.message === 'terminated' || (typeof code === 'string' && /^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/.test(code));
}

/** "0.7" below ten seconds, whole seconds above. */
function seconds(ms: number): string {
  return ms >= 10_000 ? String(Math.round(ms / 1000)) : (ms / 1000).toFixed(1);
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 200);
}

/** Retry-After in seconds or as an HTTP date, or retry-after-ms; undefined when absent. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
