/**
 * Wraps a backend with bounded retries (Retry-After honoured, exponential backoff otherwise), a
 * circuit breaker and health records. What is not worth retrying — a rejected key, an empty
 * balance, a gateway budget, a reply that broke off midway — is thrown at once, so a call is
 * never paid for twice.
 */
import { ModelError, type ChatRequest, type ChatResult, type ModelBackend } from './modelBackend';
import type { BackendHealth } from './backendHealth';
import type { CircuitBreaker } from './circuitBreaker';

export interface Clock {
  /** Wall-clock milliseconds. */
  now(): number;
  /** Resolves after `ms`, or rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out inside the call: the task is delayed instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 20_000, maxRetryAfterMs: 60_000 };

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new ModelError('aborted', 'The request was cancelled.'));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new ModelError('aborted', 'The request was cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export class ResilientBackend implements ModelBackend {
  readonly displayName: string;
  readonly model: string;
  readonly local: boolean;

  constructor(
    private readonly inner: ModelBackend,
    private readonly breaker: CircuitBreaker,
    private readonly health: BackendHealth,
    private readonly clock: Clock = realClock,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.displayName = inner.displayName;
    this.model = inner.model;
    this.local = inner.local;
  }

  worstCaseUsd(request: Pick<ChatRequest, 'messages' | 'maxCompletionTokens'>): number {
    return this.inner.worstCaseUsd(request);
  }

  estimateUsd(request: Pick<ChatRequest, 'messages'>, outputTokens: number): number | null {
    return this.inner.estimateUsd(request, outputTokens);
  }

  async complete(request: ChatRequest): Promise<ChatResult> {
    const wait = this.breaker.remainingMs(this.clock.now());
    if (wait > 0) throw this.unavailable(wait);
    for (let attempt = 1; ; attempt++) {
      const started = this.clock.now();
      try {
        const result = await this.inner.complete(request);
        this.breaker.onSuccess();
        this.health.record({ backend: this.displayName, at: this.clock.now(), ok: true, latencyMs: result.usage.latencyMs, outputTokensPerSecond: result.usage.outputTokensPerSecond });
        return result;
      } catch (err) {
        const error = err instanceof ModelError ? err : new ModelError('badResponse', String(err));
        if (error.kind !== 'aborted') {
          this.health.record({ backend: this.displayName, at: this.clock.now(), ok: false, latencyMs: this.clock.now() - started, outputTokensPerSecond: null });
        }
        const delay = this.retryDelay(error, attempt);
        if (delay === undefined || request.signal?.aborted) {
          if (error.retryable && this.breaker.onFailure(this.clock.now())) throw this.unavailable(this.breaker.remainingMs(this.clock.now()), error);
          throw error;
        }
        await this.clock.sleep(delay, request.signal);
      }
    }
  }

  private retryDelay(error: ModelError, attempt: number): number | undefined {
    if (!error.retryable || attempt >= this.policy.maxAttempts) return undefined;
    if (error.retryAfterMs !== undefined) return error.retryAfterMs <= this.policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
    return Math.min(this.policy.baseDelayMs * 2 ** (attempt - 1), this.policy.maxDelayMs);
  }

  private unavailable(waitMs: number, cause?: ModelError): ModelError {
    const minutes = Math.max(1, Math.round(waitMs / 60_000));
    const why = cause ? `${cause.message} ` : '';
    return new ModelError('unavailable', `${why}${this.displayName} failed several calls in a row, so Nightshift holds calls to it back for about ${minutes} min and then tries again by itself.`, { retryAfterMs: waitMs });
  }
}
