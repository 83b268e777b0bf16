/**
 * The simulator's only source of randomness: a seeded generator (sfc32, seeded through splitmix32), with named
 * sub-streams so that each agent draws from its own sequence. Adding an agent or a draw in one agent leaves every
 * other agent's numbers unchanged, which keeps scenario comparisons fair (common random numbers).
 *
 * Promise: the same seed and stream name give the same sequence on every run and machine.
 */

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over a string: turns a stream name into a number. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(
    readonly seed: number,
    readonly stream = "",
  ) {
    const mix = splitmix32((seed >>> 0) ^ hashName(stream));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A new generator for a named sub-stream of the same seed. */
  fork(name: string): Random {
    return new Random(this.seed, this.stream === "" ? name : `${this.stream}/${name}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t / 4_294_967_296;
  }

  /** Standard normal (Marsaglia's polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    for (;;) {
      const u = this.next() * 2 - 1;
      const v = this.next() * 2 - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const factor = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * factor;
        return u * factor;
      }
    }
  }

  /** A multiplicative noise factor with mean about 1: exp(N(0, sigma)) with sigma a fraction (0.05 = 5%). */
  lognormalFactor(sigma: number): number {
    return sigma <= 0 ? 1 : Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }
}
