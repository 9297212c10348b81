import type { ContributionStatus } from './contribution.entity';

/**
 * THE visibility policy: what one reader may see of one contribution. Every read path (threads, listings,
 * search, GET, events and their catch-up, clusters, reports as served, exports, open data, the matrix) asks
 * here, in JavaScript through `sight` or in SQL through `visibleSql`, both derived from the one table below.
 * `visibility.policy.spec.ts` checks that the two agree and that no read path goes around them.
 *
 * - `text`:  the contribution as written (body, proposed text, diff, content hash, on whose behalf).
 * - `trace`: that it exists and what became of it (tracking number, place, author, moderator's reason code),
 *            never its words, nor a hash of them that would let a guess be confirmed.
 * - `none`:  not at all (a 404, absent from lists, counts and streams).
 */
export type Sight = 'none' | 'trace' | 'text';

/**
 * Who is reading, within one consultation. Moderators and chairs of the consultation (and admins) read
 * everything; an author reads their own contributions whatever their status; everyone else reads by status.
 */
export interface Viewer {
  userId: string | null;
  moderator: boolean;
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({ userId: null, moderator: false });

/** What anyone who may read the consultation sees of a contribution in each status. */
const BY_STATUS: Record<ContributionStatus, Sight> = {
  published: 'text',
  hidden: 'trace',
  pending: 'none',
  rejected: 'none',
  withdrawn: 'none',
};

const RANK: Record<Sight, number> = { none: 0, trace: 1, text: 2 };

export function sight(c: { status: string; authorId: string }, v: Viewer): Sight {
  if (v.moderator) return 'text';
  if (v.userId !== null && c.authorId === v.userId) return 'text';
  return BY_STATUS[c.status as ContributionStatus] ?? 'none';
}

/** Does `s` show at least as much as `min`? */
export const atLeast = (s: Sight, min: Exclude<Sight, 'none'>) => RANK[s] >= RANK[min];

/** The statuses whose contributions anyone may see at least at `min`. */
export function statusesSeen(min: Exclude<Sight, 'none'>): ContributionStatus[] {
  return (Object.keys(BY_STATUS) as ContributionStatus[]).filter((s) => atLeast(BY_STATUS[s], min));
}

/**
 * The same rule as a SQL condition on a contributions row aliased `alias`: rows this viewer sees at least at
 * `min` (`trace` for what may be listed, `text` for what full-text search may match or an export may print).
 * `param` adds a bind parameter and returns its placeholder.
 */
export function visibleSql(
  alias: string,
  v: Viewer,
  min: Exclude<Sight, 'none'>,
  param: (value: unknown) => string,
): string {
  if (v.moderator) return 'true';
  const statuses = statusesSeen(min)
    .map((s) => `'${s}'`)
    .join(', ');
  const byStatus = statuses ? `${alias}.status IN (${statuses})` : 'false';
  return v.userId !== null ? `(${byStatus} OR ${alias}.author_id = ${param(v.userId)})` : byStatus;
}

/**
 * Who sees a contribution's history and the moderator's note to its author: the author and the consultation's
 * moderators (earlier texts may hold what the author removed, such as personal data).
 */
export function seesHistory(c: { authorId: string }, v: Viewer): boolean {
  return v.moderator || (v.userId !== null && c.authorId === v.userId);
}
