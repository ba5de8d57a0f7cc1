/**
 * Seeded, splittable pseudo-randomness. Every generated value derives from (site seed, entity id, purpose),
 * so the same seed always yields the same site and lazily generated parts (comments, attachment bytes)
 * come out identical whenever they are first looked at.
 */

/** A 32-bit integer hash of a few numbers (murmur3-style finaliser): cheap, well mixed, deterministic. */
export function mix32(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x01000193);
    h ^= Math.floor(part / 0x100000000) | 0; // keep the high bits of large ids
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Named purposes, so two streams for the same entity never coincide. */
export const Salt = {
  site: 1, project: 2, issue: 3, comments: 4, worklogs: 5, changelog: 6, remoteLinks: 7, watchers: 8,
  votes: 9, properties: 10, attachment: 11, attachmentBytes: 12, links: 13, faults: 14, churn: 15,
} as const;

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  static for(...parts: number[]): Rng {
    return new Rng(mix32(...parts));
  }

  /** Uniform float in [0, 1) (mulberry32). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Up to `count` distinct items, in the order of the source list. */
  sample<T>(items: readonly T[], count: number): T[] {
    if (count >= items.length) return [...items];
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
  }
}
