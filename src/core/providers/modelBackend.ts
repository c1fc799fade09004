/**
 * The one interface the engine calls a model through. Implementations live in this folder;
 * only openaiBackend.ts imports the `openai` SDK.
 */
import type { TokenUsage } from '../../shared/types';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  maxCompletionTokens: number;
  signal?: AbortSignal;
}

export interface ChatResult {
  /** What the user may see: the content without thinking. */
  answer: string;
  thinking: string;
  finishReason: string | null;
  model: string;
  usage: TokenUsage;
  /** False when the backend sent no usage and the numbers are estimated from the text. */
  usageReported: boolean;
}

export type ModelErrorKind = 'auth' | 'rateLimit' | 'balance' | 'server' | 'network' | 'badResponse' | 'aborted';

/** A failed call, with a message written for the user (it names the backend and what to do). */
export class ModelError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly status?: number,
  ) {
    // Messages often start with a backend name such as "the local server at …".
    super(message.charAt(0).toUpperCase() + message.slice(1));
    this.name = 'ModelError';
  }
}

export interface ModelBackend {
  /** For messages: "MiniMax", "local server at 127.0.0.1:8080". */
  readonly displayName: string;
  readonly model: string;
  complete(request: ChatRequest): Promise<ChatResult>;
}

/** Characters per token for estimates when a stream reports no usage (a common ratio for code and English). */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
