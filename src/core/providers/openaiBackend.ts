/**
 * The only module that imports the `openai` SDK. It streams a chat completion from any
 * OpenAI-compatible server, keeps thinking out of the answer, normalizes usage and turns every
 * failure — including MiniMax's HTTP-200 `base_resp` errors — into a ModelError with a message
 * for the user. It never logs or returns the API key.
 */
import OpenAI from 'openai';
import type { TokenUsage } from '../../shared/types';
import {
  estimateTokens,
  ModelError,
  type ChatRequest,
  type ChatResult,
  type ModelBackend,
} from './modelBackend';
import { ThinkSplitter } from './thinkTags';

export interface OpenAIBackendOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  displayName: string;
  /** Retries of connection errors, 408, 409, 429 and 5xx (the SDK's own backoff). */
  maxRetries?: number;
  timeoutMs?: number;
}

/** Fields some servers add to a chunk or a usage object beyond the OpenAI schema. */
interface ExtraChunkFields {
  base_resp?: { status_code?: number; status_msg?: string };
}
interface ExtraDeltaFields {
  reasoning_content?: string;
  reasoning_details?: Array<{ text?: string }>;
}
interface RawUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  cache_read_input_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export class OpenAIBackend implements ModelBackend {
  readonly displayName: string;
  readonly model: string;
  private readonly client: OpenAI;

  constructor(options: OpenAIBackendOptions) {
    this.displayName = options.displayName;
    this.model = options.model;
    // baseURL and apiKey always explicit: the SDK would otherwise read OPENAI_* from the environment.
    this.client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      maxRetries: options.maxRetries ?? 2,
      timeout: options.timeoutMs ?? 120_000,
    });
  }

  async complete(request: ChatRequest): Promise<ChatResult> {
    const splitter = new ThinkSplitter();
    let reasoning = '';
    let rawUsage: RawUsage | undefined;
    let finishReason: string | null = null;
    let model = this.model;
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: request.messages,
          stream: true,
          stream_options: { include_usage: true },
          max_completion_tokens: request.maxCompletionTokens,
          temperature: 1,
          top_p: 0.95,
        },
        { signal: request.signal },
      );
      for await (const chunk of stream) {
        this.throwOnBaseResp((chunk as ExtraChunkFields).base_resp);
        if (chunk.model) model = chunk.model;
        if (chunk.usage) rawUsage = chunk.usage as RawUsage;
        for (const choice of chunk.choices ?? []) {
          const delta = (choice.delta ?? {}) as { content?: string | null } & ExtraDeltaFields;
          if (delta.content) splitter.push(delta.content);
          if (delta.reasoning_content) reasoning += delta.reasoning_content;
          for (const d of delta.reasoning_details ?? []) reasoning += d.text ?? '';
          if (choice.finish_reason) finishReason = choice.finish_reason;
        }
      }
    } catch (err) {
      throw this.toModelError(err);
    }
    const { answer, thinking } = splitter.end();
    const allThinking = [reasoning.trim(), thinking].filter(Boolean).join('\n');
    const usage = normalizeUsage(rawUsage);
    return {
      answer,
      thinking: allThinking,
      finishReason,
      model,
      usage: usage ?? estimateUsage(request, answer, allThinking),
      usageReported: usage !== undefined,
    };
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

  private toModelError(err: unknown): ModelError {
    if (err instanceof ModelError) return err;
    const name = this.displayName;
    if (err instanceof OpenAI.APIUserAbortError) return new ModelError('aborted', 'The request was cancelled.');
    if (err instanceof OpenAI.APIConnectionTimeoutError)
      return new ModelError('network', `${name} did not answer in time. Check the base URL and your connection.`);
    if (err instanceof OpenAI.APIConnectionError)
      return new ModelError('network', `Could not reach ${name}. Check the base URL setting and that the server is running.`);
    if (err instanceof OpenAI.APIError) {
      const status = err.status;
      if (status === 401 || status === 403)
        return new ModelError('auth', `${name} rejected the API key (${status}). Set it with 'Nightshift: Set API Key'.`, status);
      if (status === 402)
        return new ModelError('balance', `${name} reports the account is out of credit (402). Top it up, then resume the agent.`, status);
      if (status === 429) return new ModelError('rateLimit', `${name} is rate-limiting requests (429). Nightshift will try again later.`, status);
      if (status !== undefined && status >= 500)
        return new ModelError('server', `${name} had a server error (${status}). Nightshift will try again later.`, status);
      return new ModelError('badResponse', `${name} refused the request (${status ?? 'no status'}): ${firstLine(err.message)}`, status);
    }
    // A body the SDK could not parse (an HTML error page, broken JSON in a stream) lands here.
    const detail = err instanceof Error ? firstLine(err.message) : String(err);
    return new ModelError('badResponse', `${name} sent a reply Nightshift could not read: ${detail}`);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 200);
}

export function normalizeUsage(raw: RawUsage | undefined): TokenUsage | undefined {
  if (!raw || typeof raw.prompt_tokens !== 'number' || typeof raw.completion_tokens !== 'number') return undefined;
  return {
    inputTokens: raw.prompt_tokens,
    cachedInputTokens: raw.prompt_tokens_details?.cached_tokens ?? raw.cache_read_input_tokens ?? 0,
    outputTokens: raw.completion_tokens,
    reasoningTokens: raw.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

function estimateUsage(request: ChatRequest, answer: string, thinking: string): TokenUsage {
  const prompt = request.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
  const reasoningTokens = estimateTokens(thinking);
  return { inputTokens: prompt, cachedInputTokens: 0, outputTokens: estimateTokens(answer) + reasoningTokens, reasoningTokens };
}
