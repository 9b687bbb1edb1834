import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces the starts of sends on one channel: at most `perSecond` a second, and none while paused (a 429's
 * retry_after applies to the whole bot). One gate per channel per worker; no global state.
 */
export class RateGate {
  private next = 0;
  private pausedUntil = 0;
  private readonly spacingMs: number;

  constructor(perSecond: number, private readonly now: () => number = Date.now) {
    this.spacingMs = 1000 / Math.max(perSecond, 0.001);
  }

  /** Resolves when the next send may start (or at once when `signal` aborts). */
  async wait(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const t = this.now();
      const at = Math.max(this.next, this.pausedUntil);
      if (at <= t) {
        this.next = Math.max(t, this.next) + this.spacingMs;
        return;
      }
      try {
        await sleep(at - t, undefined, { signal });
      } catch {
        return;
      }
    }
  }

  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}
