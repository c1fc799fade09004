/**
 * The one interface the engine calls a model through. Implementations live in this folder;
 * only openaiBackend.ts imports the `openai` SDK.
 */
import type { UsageRecord } from './usage';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  maxCompletionTokens: number;
  signal?: AbortSignal;
  /** Told, now and then while the reply streams, about how many tokens have arrived (thinking included; estimated from characters). */
  onProgress?: (outputTokens: number) => void;
}

export interface ChatResult {
  /** What the user may see: the content without thinking. */
  answer: string;
  thinking: string;
  /**
   * The assistant message as received, thinking included: what goes back into a later turn's
   * history (MiniMax's guidance: removing the thinking hurts quality).
   */
  rawContent: string;
  finishReason: string | null;
  model: string;
  usage: UsageRecord;
}

export type ModelErrorKind =
  | 'auth'
  | 'rateLimit'
  | 'balance'
  /** A gateway's own budget (LiteLLM `budget_exceeded`): no retry; background work pauses. */
  | 'budget'
  /** A key over its spending limit (OpenRouter 403): no retry. */
  | 'keyLimit'
  | 'server'
  | 'network'
  | 'badResponse'
  | 'aborted'
  /** The circuit breaker holds calls to this backend back for a while. */
  | 'unavailable';

const RETRYABLE: ReadonlySet<ModelErrorKind> = new Set(['rateLimit', 'server', 'network']);

/** A failed call, with a message written for the user (it names the backend and what to do). */
export class ModelError extends Error {
  readonly kind: ModelErrorKind;
  readonly status?: number;
  /** How long the backend asked us to wait (Retry-After), or the breaker's remaining pause. */
  readonly retryAfterMs?: number;
  /**
   * What a call that broke off midway had already used, or a call cancelled after its request
   * went out (its prompt, with nothing or little received): it is charged once, never again.
   */
  readonly partial?: UsageRecord;

  constructor(kind: ModelErrorKind, message: string, extra: { status?: number; retryAfterMs?: number; partial?: UsageRecord } = {}) {
    // Messages often start with a backend name such as "the local server at …".
    super(message.charAt(0).toUpperCase() + message.slice(1));
    this.name = 'ModelError';
    this.kind = kind;
    this.status = extra.status;
    this.retryAfterMs = extra.retryAfterMs;
    this.partial = extra.partial;
  }

  /** Worth trying again later: a rate limit, a server fault or a network fault, with nothing received. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind) && !this.partial;
  }
}

export interface ModelBackend {
  /** For messages: "MiniMax", "the local server at 127.0.0.1:8080". */
  readonly displayName: string;
  readonly model: string;
  /** Runs on this machine: free. */
  readonly local: boolean;
  complete(request: ChatRequest): Promise<ChatResult>;
  /**
   * The most a request can cost: every prompt byte a token (no tokenizer makes more tokens
   * than UTF-8 bytes) at the uncached price, plus the whole output limit. Infinity when the
   * price is unknown.
   */
  worstCaseUsd(request: Pick<ChatRequest, 'messages' | 'maxCompletionTokens'>): number;
  /** A likely cost: the prompt at about CHARS_PER_TOKEN characters a token, and `outputTokens` out. Null when the price is unknown. */
  estimateUsd(request: Pick<ChatRequest, 'messages'>, outputTokens: number): number | null;
}

/** Characters per token for estimates when a stream reports no usage (a common ratio for code and English). */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
