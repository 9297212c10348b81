import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STAKEHOLDER_GROUPS } from '@plenary/accounts';
import { versionName, wordDiff, WordOp } from '@plenary/documents';
import type { ContributionEntity, ContributionRevisionEntity } from '../contribution.entity';
import { seesHistory, sight, Viewer } from '../visibility.policy';

export class AuthorSnapshotResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: STAKEHOLDER_GROUPS }) group: string;
  @ApiProperty() organisation: string;
  @ApiProperty({ example: 'KE' }) country: string;
  @ApiProperty({ example: 'african' }) region: string;
  @ApiProperty({ enum: ['personal', 'representative'] }) capacity: string;
  @ApiProperty({ description: 'A focal point verified by an administrator' }) verified: boolean;
}

export class EndorsementCountsResponse {
  @ApiProperty() total: number;
  @ApiProperty({
    description: 'Every stakeholder group, with 0 where none endorsed',
    example: { government: 2, civil_society: 1 },
  })
  byGroup: Record<string, number>;
}

export class RevisionResponse {
  @ApiProperty({ description: '1 is the text as first submitted' }) revision: number;
  @ApiProperty() body: string;
  @ApiProperty({ nullable: true }) proposedText: string | null;
  @ApiProperty({ nullable: true }) onBehalfOf: string | null;
  @ApiProperty() contentHash: string;
  @ApiProperty() writtenAt: string;
  @ApiProperty() replacedAt: string;
}

export class ModerationInfoResponse {
  @ApiProperty({ enum: ['off_topic', 'abusive', 'spam', 'duplicate', 'personal_data', 'other'] }) reason: string;
  @ApiPropertyOptional({ description: 'The moderator’s note: for the author, moderators and chairs' }) note?: string;
  @ApiProperty() at: string;
}

export class DispositionInfoResponse {
  @ApiProperty({ enum: ['accepted', 'accepted_in_part', 'noted', 'not_accepted', 'out_of_scope'] }) value: string;
  @ApiProperty({ description: 'The secretariat’s response' }) response: string;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, description: 'The paragraph of a later version that carries it' })
  resultingParagraph: { id: string; label: string; version: number } | null;
}

export class ContributionResponse {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'C11-R1-000042', description: 'Receipt: unique, cite it' }) trackingNumber: string;
  @ApiProperty({ description: 'Receipt: server time of submission' }) submittedAt: string;
  @ApiProperty({
    nullable: true,
    description: 'Receipt: sha256 of the content, see docs/contributions.md; null when the text is withheld',
  })
  contentHash: string | null;
  @ApiProperty() consultationId: string;
  @ApiProperty() documentId: string;
  @ApiProperty() roundId: string;
  @ApiProperty({ example: 'R1' }) round: string;
  @ApiProperty({ description: 'Version of the document the contribution was made on' }) version: number;
  @ApiProperty({ example: 'zero draft' }) versionName: string;
  @ApiProperty({ nullable: true, description: 'Null for a general comment on the document' }) paragraphId:
    string | null;
  @ApiProperty({ nullable: true, example: '15' }) paragraphLabel: string | null;
  @ApiProperty({ nullable: true }) lineageKey: string | null;
  @ApiProperty({ enum: ['comment', 'amendment', 'reply'] }) kind: string;
  @ApiProperty({ nullable: true }) parentId: string | null;
  @ApiProperty({ nullable: true }) threadRootId: string | null;
  @ApiProperty() depth: number;
  @ApiProperty({ enum: ['pending', 'published', 'rejected', 'hidden', 'withdrawn'] }) status: string;
  @ApiProperty({ description: 'As written; render as text' }) body: string;
  @ApiProperty({ nullable: true }) proposedText: string | null;
  @ApiPropertyOptional({
    nullable: true,
    description: 'Amendments: word diff of proposedText against the paragraph it was made on',
  })
  diff: WordOp[] | null;
  @ApiProperty({ nullable: true }) onBehalfOf: string | null;
  @ApiProperty({ type: AuthorSnapshotResponse, description: 'The author as they were at submission' })
  author: AuthorSnapshotResponse;
  @ApiProperty({ type: EndorsementCountsResponse }) endorsements: EndorsementCountsResponse;
  @ApiPropertyOptional({ description: 'Present when the caller is signed in' }) endorsedByMe?: boolean;
  @ApiProperty({ nullable: true }) editedAt: string | null;
  @ApiProperty() editCount: number;
  @ApiProperty({ nullable: true }) withdrawnAt: string | null;
  @ApiPropertyOptional({
    type: [RevisionResponse],
    description: 'Earlier texts: for the author, moderators and chairs',
  })
  revisions?: RevisionResponse[];
  @ApiProperty({
    type: ModerationInfoResponse,
    nullable: true,
    description: 'The latest moderation decision (why it was hidden or rejected)',
  })
  moderation: ModerationInfoResponse | null;
  @ApiProperty({ type: DispositionInfoResponse, nullable: true }) disposition: DispositionInfoResponse | null;
  @ApiPropertyOptional({
    description:
      'true when the text is withheld: a hidden contribution shown to someone other than its author and moderators',
  })
  redacted?: boolean;
  @ApiPropertyOptional({ description: 'For moderators: flagged or urgent when back in the moderation queue' }) review?:
    string | null;
  @ApiPropertyOptional({ description: 'For moderators' }) flagCount?: number;
}

export class ReplyResponse extends ContributionResponse {
  @ApiPropertyOptional({
    description: 'Replies deeper than two levels are shown flattened; this names what they answer',
  })
  inReplyTo?: { id: string; trackingNumber: string; authorName: string };
  @ApiProperty({ type: () => [ReplyResponse] }) replies: ReplyResponse[];
}

export class ThreadResponse {
  @ApiProperty() documentId: string;
  @ApiProperty({ nullable: true }) paragraphId: string | null;
  @ApiProperty({ nullable: true }) lineageKey: string | null;
  @ApiProperty({ description: 'Contributions in this page, replies included' }) total: number;
  @ApiProperty({
    type: [ReplyResponse],
    description: 'Top-level contributions, oldest first, replies nested two levels deep',
  })
  items: ReplyResponse[];
  @ApiProperty({
    nullable: true,
    description: 'Pass as cursor for the next top-level contributions; null on the last page',
  })
  nextCursor: string | null;
}

export class ContributionPage {
  @ApiProperty({ type: [ContributionResponse] }) items: ContributionResponse[];
  @ApiProperty({ nullable: true, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor:
    string | null;
}

export interface MapContext {
  /** Who reads: the visibility policy decides from it what of each contribution is shown. */
  viewer: Viewer;
  endorsements: Map<string, Record<string, number>>;
  endorsedByMe?: Set<string>;
  /** Paragraph texts by id: needed only for amendments stored before diffs were (their diff is made on read). */
  paragraphTexts?: Map<string, string>;
  revisions?: ContributionRevisionEntity[];
  /** Where accepted contributions went, by paragraph id. */
  places?: Map<string, { id: string; label: string; version: number }>;
}

export function emptyByGroup(): Record<string, number> {
  return Object.fromEntries(STAKEHOLDER_GROUPS.map((g) => [g, 0]));
}

/**
 * A contribution as `ctx.viewer` may see it. Callers only pass rows the policy lets the viewer see at all (the SQL
 * filters with `visibleSql`); a row seen as a trace (a hidden contribution, for the public) keeps who, where and
 * why (the reason code), never its words or a hash of them.
 */
export function mapContribution(c: ContributionEntity, ctx: MapContext): ContributionResponse {
  const byGroup = { ...emptyByGroup(), ...(ctx.endorsements.get(c.id) ?? {}) };
  const mapped = mapVisible(c, ctx, byGroup, seesHistory(c, ctx.viewer));
  if (sight(c, ctx.viewer) === 'text') return mapped;
  // The secretariat's answer often quotes what it answers: a trace keeps the disposition, not its words.
  const disposition = mapped.disposition ? { ...mapped.disposition, response: '' } : null;
  return {
    ...mapped,
    body: '',
    proposedText: null,
    diff: null,
    onBehalfOf: null,
    contentHash: null,
    disposition,
    redacted: true,
    revisions: undefined,
  };
}

/** The stored diff; amendments written before diffs were stored are diffed here, once per read. */
function diffOf(c: ContributionEntity, ctx: MapContext): WordOp[] | null {
  if (c.kind !== 'amendment' || c.proposedText === null) return null;
  if (c.diff) return c.diff;
  const base = c.paragraphId ? ctx.paragraphTexts?.get(c.paragraphId) : undefined;
  return base === undefined ? null : wordDiff(base, c.proposedText);
}

function mapVisible(
  c: ContributionEntity,
  ctx: MapContext,
  byGroup: Record<string, number>,
  privileged: boolean,
): ContributionResponse {
  return {
    id: c.id,
    trackingNumber: c.trackingNumber,
    submittedAt: c.submittedAt.toISOString(),
    contentHash: c.contentHash,
    consultationId: c.consultationId,
    documentId: c.documentId,
    roundId: c.roundId,
    round: `R${c.roundNumber}`,
    version: c.versionNumber,
    versionName: versionName(c.versionNumber),
    paragraphId: c.paragraphId,
    paragraphLabel: c.paragraphLabel,
    lineageKey: c.lineageKey,
    kind: c.kind,
    parentId: c.parentId,
    threadRootId: c.threadRootId,
    depth: c.depth,
    status: c.status,
    body: c.body,
    proposedText: c.proposedText,
    diff: diffOf(c, ctx),
    onBehalfOf: c.onBehalfOf,
    author: {
      id: c.authorId,
      name: c.authorName,
      group: c.authorGroup,
      organisation: c.authorOrganisation,
      country: c.authorCountry,
      region: c.authorRegion,
      capacity: c.authorCapacity,
      verified: c.authorVerified,
    },
    endorsements: { total: Object.values(byGroup).reduce((a, b) => a + b, 0), byGroup },
    ...(ctx.endorsedByMe ? { endorsedByMe: ctx.endorsedByMe.has(c.id) } : {}),
    editedAt: c.editedAt?.toISOString() ?? null,
    editCount: c.editCount,
    withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
    ...(ctx.revisions && privileged
      ? {
          revisions: ctx.revisions.map((r) => ({
            revision: r.revision,
            body: r.body,
            proposedText: r.proposedText,
            onBehalfOf: r.onBehalfOf,
            contentHash: r.contentHash,
            writtenAt: r.writtenAt.toISOString(),
            replacedAt: r.replacedAt.toISOString(),
          })),
        }
      : {}),
    moderation: c.moderatedAt
      ? {
          reason: c.moderationReason ?? 'other',
          ...(privileged && c.moderationNote ? { note: c.moderationNote } : {}),
          at: c.moderatedAt.toISOString(),
        }
      : null,
    disposition:
      c.disposition && c.disposedAt
        ? {
            value: c.disposition,
            response: c.dispositionResponse ?? '',
            at: c.disposedAt.toISOString(),
            resultingParagraph: c.resultingParagraphId ? (ctx.places?.get(c.resultingParagraphId) ?? null) : null,
          }
        : null,
    ...(ctx.viewer.moderator ? { review: c.review ?? null, flagCount: c.flagCount ?? 0 } : {}),
  };
}

/**
 * Threads for display: top-level contributions oldest first, their replies beneath, and replies to replies
 * beneath those; anything deeper is flattened into the second level, in order, naming what it answers.
 * A reply whose parent the caller cannot see is shown at the top level, with its parentId.
 */
export function buildThreads(items: ContributionResponse[]): ReplyResponse[] {
  const nodes = new Map<string, { node: ReplyResponse; level: number; host: ReplyResponse | null }>();
  const top: ReplyResponse[] = [];
  for (const c of items) {
    const node: ReplyResponse = { ...c, replies: [] };
    const parent = c.parentId ? nodes.get(c.parentId) : undefined;
    if (!parent) {
      top.push(node);
      nodes.set(c.id, { node, level: 0, host: null });
    } else if (parent.level < 2) {
      parent.node.replies.push(node);
      nodes.set(c.id, { node, level: parent.level + 1, host: parent.node });
    } else {
      node.inReplyTo = {
        id: parent.node.id,
        trackingNumber: parent.node.trackingNumber,
        authorName: parent.node.author.name,
      };
      parent.host!.replies.push(node);
      nodes.set(c.id, { node, level: 2, host: parent.host });
    }
  }
  return top;
}
