// A small map with a size bound and a time-to-live, for unwrapped data keys and SDK clients.
//
// Unwrapped keys are kept only briefly: the bound limits how many sit in memory at once, and
// the TTL limits how long a key destroyed by another process can still be used here.

export interface ExpiringLruOptions {
  max: number;
  ttlMs: number;
  now?: () => number;
}

export class ExpiringLru<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: ExpiringLruOptions) {
    if (!Number.isInteger(options.max) || options.max < 1) {
      throw new Error(`cache size must be a positive integer, got ${options.max}`);
    }
    if (!(options.ttlMs > 0)) throw new Error(`cache TTL must be positive, got ${options.ttlMs}`);
    this.#max = options.max;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expires <= this.#now()) return undefined;
    // Re-inserting moves the key to the newest end of the Map's insertion order.
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
