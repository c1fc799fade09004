/**
 * Stops calling a backend that keeps failing: after a run of failed calls it opens for a cooldown
 * (growing on repeated trips, up to a cap), then lets one call through to test the water.
 * A success closes it. Only faults worth retrying count (server, network, rate limit).
 */

export interface CircuitBreakerOptions {
  /** Consecutive failed calls (each after its own retries) that open the breaker. */
  threshold: number;
  cooldownMs: number;
  maxCooldownMs: number;
}

export const DEFAULT_BREAKER: CircuitBreakerOptions = { threshold: 3, cooldownMs: 60_000, maxCooldownMs: 15 * 60_000 };

export class CircuitBreaker {
  private failures = 0;
  private trips = 0;
  private openUntil = 0;

  constructor(private readonly options: CircuitBreakerOptions = DEFAULT_BREAKER) {}

  /** Milliseconds until calls may go through again; 0 when they may now. */
  remainingMs(now: number): number {
    return Math.max(0, this.openUntil - now);
  }

  pausedUntil(): number | undefined {
    return this.openUntil > 0 ? this.openUntil : undefined;
  }

  onSuccess(): void {
    this.failures = 0;
    this.trips = 0;
    this.openUntil = 0;
  }

  /** Returns true when this failure opened the breaker. */
  onFailure(now: number): boolean {
    this.failures++;
    if (this.failures < this.options.threshold) return false;
    const cooldown = Math.min(this.options.cooldownMs * 2 ** this.trips, this.options.maxCooldownMs);
    this.trips++;
    this.failures = this.options.threshold - 1; // after the pause, one more failure reopens it
    this.openUntil = now + cooldown;
    return true;
  }
}
