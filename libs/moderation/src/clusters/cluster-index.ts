import { Fingerprint, NEAR_THRESHOLD, similarity } from './minhash';

export interface Match {
  id: string;
  similarity: number;
  exact: boolean;
}

/**
 * The best earlier text a new one duplicates: an exact normalised match first, otherwise the LSH candidate with the
 * highest estimated similarity at or above NEAR_THRESHOLD. Used in memory by the full re-clustering job; the
 * incremental check asks the database for the same candidates.
 */
export function bestMatch(
  fp: Fingerprint,
  exact: string[],
  candidates: { id: string; signature: number[] }[],
): Match | null {
  if (exact.length) return { id: exact[0], similarity: 1, exact: true };
  let best: Match | null = null;
  for (const c of candidates) {
    const s = similarity(fp.signature, c.signature);
    if (s >= NEAR_THRESHOLD && (!best || s > best.similarity)) best = { id: c.id, similarity: s, exact: false };
  }
  return best;
}

/** Candidates compared per text, by the incremental check (in the database) and the full job (the newest few of each shared bucket). */
export const MAX_CANDIDATES = 24;
const PER_BUCKET = 4;

/**
 * An in-memory LSH index over many fingerprints: add them in arrival order, get each one's best earlier match.
 * Only the newest few texts of each shared bucket are compared, so a campaign of a hundred thousand copies (all in
 * the same buckets) costs a bounded amount per text instead of a comparison with every earlier copy.
 */
export class ClusterIndex {
  private readonly byBucket = new Map<number, string[]>();
  private readonly byExact = new Map<string, string>();
  private readonly signatures = new Map<string, number[]>();

  add(id: string, fp: Fingerprint): Match | null {
    const exact = this.byExact.get(fp.exactHash);
    const seen = new Set<string>();
    const candidates: { id: string; signature: number[] }[] = [];
    if (!exact) {
      for (const b of fp.buckets) {
        const list = this.byBucket.get(b) ?? [];
        for (
          let i = list.length - 1, taken = 0;
          i >= 0 && taken < PER_BUCKET && candidates.length < MAX_CANDIDATES;
          i--
        ) {
          const other = list[i];
          if (seen.has(other)) continue;
          seen.add(other);
          taken++;
          candidates.push({ id: other, signature: this.signatures.get(other)! });
        }
        if (candidates.length >= MAX_CANDIDATES) break;
      }
    }
    const match = bestMatch(fp, exact ? [exact] : [], candidates);
    if (!exact) this.byExact.set(fp.exactHash, id);
    this.signatures.set(id, fp.signature);
    for (const b of fp.buckets) {
      const list = this.byBucket.get(b);
      if (list) list.push(id);
      else this.byBucket.set(b, [id]);
    }
    return match;
  }
}

/** Groups from matches: each text joins the group of the earlier text it matched. */
export function groupMatches(
  items: { id: string; match: Match | null }[],
): Map<string, { members: { id: string; similarity: number }[]; exact: boolean }> {
  const groupOf = new Map<string, string>();
  const groups = new Map<string, { members: { id: string; similarity: number }[]; exact: boolean }>();
  for (const { id, match } of items) {
    if (!match) continue;
    let root = groupOf.get(match.id);
    if (!root) {
      root = match.id;
      groupOf.set(match.id, root);
      groups.set(root, { members: [{ id: match.id, similarity: 1 }], exact: true });
    }
    const g = groups.get(root)!;
    g.members.push({ id, similarity: match.similarity });
    g.exact &&= match.exact;
    groupOf.set(id, root);
  }
  return groups;
}
