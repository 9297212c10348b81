import { Injectable } from '@nestjs/common';

export interface ParagraphCounts {
  /** Published contributions of every kind on this paragraph and its earlier versions. */
  published: number;
  amendments: number;
  endorsements: number;
}

export type CountsSource = (
  documentId: string,
) => Promise<{ lineageKey: string | null; published: number; amendments: number; endorsements: number }[]>;

/**
 * What libs above documents add to the document view. Contributions registers the per-paragraph counts
 * here at start-up, so the dependency still points one way.
 */
@Injectable()
export class DocumentReadExtensions {
  private counts?: CountsSource;
  private citations?: (documentId: string) => Promise<Map<string, string[]>>;

  /** Who registers: the contributions accepted into each paragraph lineage (tracking numbers). */
  useCitations(source: (documentId: string) => Promise<Map<string, string[]>>): void {
    this.citations = source;
  }

  citationsFor(documentId: string): Promise<Map<string, string[]>> {
    return this.citations ? this.citations(documentId) : Promise.resolve(new Map());
  }

  useCounts(source: CountsSource): void {
    this.counts = source;
  }

  /** Counts by lineage key ('' holds the general comments); empty when no source is registered. */
  async countsFor(documentId: string): Promise<Map<string, ParagraphCounts>> {
    const rows = this.counts ? await this.counts(documentId) : [];
    return new Map(
      rows.map((r) => [
        r.lineageKey ?? '',
        { published: r.published, amendments: r.amendments, endorsements: r.endorsements },
      ]),
    );
  }
}
