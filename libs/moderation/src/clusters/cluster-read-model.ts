import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ContributionRecordsService, PUBLIC_VIEWER, sight } from '@plenary/contributions';

/** A cluster as a public document (a report) shows it: how many it gathers, and one of them to cite. */
export interface PublicClusterView {
  id: string;
  status: string;
  /** Members the public reads as text (published ones), not every member. */
  count: number;
  /** The designated representative or, when the public may not read it, the earliest member the public may. */
  representativeId: string;
  representativeTrackingNumber: string;
  lineageKey: string | null;
}

/**
 * The clusters read model for other libs (reports): the suggested and confirmed clusters of a consultation,
 * counted and represented by the members **the public** reads as text (the visibility policy's `sight` with
 * PUBLIC_VIEWER), so that a public document neither counts nor cites what the public may not read. A cluster with
 * no such member is left out. The SQL names moderation's own tables only; what the members are (status, author,
 * place) comes from the contributions lib.
 */
@Injectable()
export class ClusterReadModel {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly records: ContributionRecordsService,
  ) {}

  async publicClusters(consultationId: string): Promise<PublicClusterView[]> {
    const rows: { id: string; status: string; representative_id: string; contribution_id: string }[] =
      await this.ds.query(
        `SELECT k.id, k.status, k.representative_id, m.contribution_id
         FROM clusters k JOIN cluster_members m ON m.cluster_id = k.id AND m.removed_at IS NULL
        WHERE k.consultation_id = $1 AND k.status IN ('suggested', 'confirmed')`,
        [consultationId],
      );
    if (!rows.length) return [];
    // In arrival order; only those the public reads as text.
    const facts = (await this.records.memberFacts([...new Set(rows.map((r) => r.contribution_id))])).filter(
      (f) => sight(f, PUBLIC_VIEWER) === 'text',
    );
    const seen = new Map(facts.map((f) => [f.id, f]));
    const clusters = new Map<string, { id: string; status: string; representativeId: string; members: typeof facts }>();
    for (const r of rows) {
      const k = clusters.get(r.id) ?? {
        id: r.id,
        status: r.status,
        representativeId: r.representative_id,
        members: [],
      };
      clusters.set(r.id, k);
      const f = seen.get(r.contribution_id);
      if (f) k.members.push(f);
    }
    return [...clusters.values()]
      .filter((k) => k.members.length > 0)
      .map((k) => {
        const rep =
          k.members.find((m) => m.id === k.representativeId) ?? k.members.reduce((a, b) => (b.seq < a.seq ? b : a));
        return {
          id: k.id,
          status: k.status,
          count: k.members.length,
          representativeId: rep.id,
          representativeTrackingNumber: rep.trackingNumber,
          lineageKey: rep.lineageKey,
        };
      })
      .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
  }
}
