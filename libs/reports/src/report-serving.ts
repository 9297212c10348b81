import { Injectable } from '@nestjs/common';
import { ContributionStatsService, ContributionsService, type Viewer } from '@plenary/contributions';
import type { Redactions, ReportData } from './report-data';
import { type CurrentSight, quotedRefs, type QuotedRef, redact, UNAVAILABLE } from './redaction';

/**
 * Serving a stored report under today's visibility policy: asks the contributions lib what this reader may see
 * now of every contribution the snapshot quotes (one query, however many), and withholds the words of the rest.
 * The stored snapshot is never changed.
 */
@Injectable()
export class ReportServing {
  constructor(
    private readonly contributions: ContributionsService,
    private readonly stats: ContributionStatsService,
  ) {}

  async serve(
    consultationId: string,
    data: ReportData,
    viewer: Viewer,
  ): Promise<{ data: ReportData; redactions: Redactions }> {
    const refs = quotedRefs(data);
    // Reports made before issue 14 name some quoted contributions by tracking number only.
    const byNumber = await this.stats.idsByTrackingNumber(
      consultationId,
      refs.filter((r) => !r.id && r.trackingNumber).map((r) => r.trackingNumber),
    );
    const idOf = (r: QuotedRef) => r.id ?? byNumber.get(r.trackingNumber);
    const ids = [...new Set(refs.map(idOf).filter((id): id is string => !!id))];
    const sights = ids.length
      ? await this.contributions.sights(consultationId, ids, viewer)
      : new Map<string, CurrentSight>();
    // What cannot be traced, or is gone, is withheld: serving fails closed.
    return redact(
      data,
      (r) => {
        const id = idOf(r);
        return (id && sights.get(id)) || UNAVAILABLE;
      },
      (r) => idOf(r) ?? `#${r.trackingNumber}`,
    );
  }
}
