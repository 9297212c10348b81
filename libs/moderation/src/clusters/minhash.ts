import { createHash } from 'node:crypto';

/**
 * Near-duplicate detection for form-letter campaigns: word 3-shingles, a 128-value MinHash signature, and
 * locality-sensitive hashing in 32 bands of 4 rows (two texts become candidates when any band matches; with
 * Jaccard similarity 0.6 that happens with probability 0.99, with 0.2 only 0.05). Candidates are then kept only
 * when the signatures agree on at least NEAR_THRESHOLD of their positions (the estimated Jaccard similarity).
 */
export const SIGNATURE_SIZE = 128;
export const BANDS = 32;
export const ROWS = SIGNATURE_SIZE / BANDS;
export const NEAR_THRESHOLD = 0.5;

const SEEDS = (() => {
  const out = new Int32Array(SIGNATURE_SIZE);
  let x = 0x9e3779b9;
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    out[i] = x;
  }
  return out;
})();

/** MurmurHash3's finaliser: a fast, well-mixed 32-bit hash of a 32-bit value. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** FNV-1a over a string's UTF-16 units. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Lower case, letters and digits only, single spaces: what a campaign's copies have in common. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function exactHash(text: string): string {
  return createHash('sha256').update(normalise(text), 'utf8').digest('hex');
}

export interface Fingerprint {
  exactHash: string;
  signature: number[];
  buckets: number[];
}

export function fingerprint(text: string): Fingerprint {
  const norm = normalise(text);
  const words = norm ? norm.split(' ') : [];
  const shingles = new Set<number>();
  if (words.length < 3) for (const w of words) shingles.add(fnv(w));
  for (let i = 0; i + 3 <= words.length; i++) shingles.add(fnv(`${words[i]} ${words[i + 1]} ${words[i + 2]}`));
  const sig = new Int32Array(SIGNATURE_SIZE).fill(0x7fffffff);
  for (const s of shingles) {
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      const v = mix(s ^ SEEDS[k]);
      if (v < sig[k]) sig[k] = v;
    }
  }
  const signature = Array.from(sig);
  return {
    exactHash: createHash('sha256').update(norm, 'utf8').digest('hex'),
    signature,
    buckets: bucketsOf(signature),
  };
}

export function bucketsOf(signature: number[]): number[] {
  const out: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = mix(b + 0x51ed27);
    for (let r = 0; r < ROWS; r++) h = mix(h ^ signature[b * ROWS + r]);
    out.push(h);
  }
  return out;
}

/** The share of signature positions that agree: an estimate of the texts' Jaccard similarity. */
export function similarity(a: number[], b: number[]): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) same++;
  return same / SIGNATURE_SIZE;
}

/** What is fingerprinted of a contribution: its comment and its proposed wording. */
export function clusterText(c: { body: string; proposedText: string | null }): string {
  return c.proposedText ? `${c.body}\n${c.proposedText}` : c.body;
}
