import { describe, expect, it } from 'vitest';
import { ExpiringLru } from '../../../core/privacy/expiring-lru.ts';

describe('ExpiringLru', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const lru = new ExpiringLru<number>({ max: 2, ttlMs: 1000 });
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(lru.size).toBe(2);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
  });

  it('forgets entries after their time to live', () => {
    let clock = 0;
    const lru = new ExpiringLru<string>({ max: 10, ttlMs: 100, now: () => clock });
    lru.set('k', 'v');
    clock = 99;
    expect(lru.get('k')).toBe('v');
    clock = 100;
    expect(lru.get('k')).toBeUndefined();
    expect(lru.size).toBe(0);
  });

  it('deletes on request and refuses a nonsensical configuration', () => {
    const lru = new ExpiringLru<string>({ max: 1, ttlMs: 10 });
    lru.set('k', 'v');
    lru.delete('k');
    expect(lru.get('k')).toBeUndefined();
    expect(() => new ExpiringLru({ max: 0, ttlMs: 10 })).toThrow(/positive integer/);
    expect(() => new ExpiringLru({ max: 1, ttlMs: 0 })).toThrow(/TTL/);
  });
});
