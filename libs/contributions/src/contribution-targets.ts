import { Injectable } from '@nestjs/common';
import { ConsultationsService } from '@plenary/consultations';
import type { Tx } from '@plenary/database';
import { ParagraphLookup, RoundWindow, SubmissionTargets } from '@plenary/documents';
import type { SubmissionContext, TargetFacts } from './contributions.repository';

/**
 * Where contributions go, asked of the libs that own paragraphs, rounds and consultations (this lib reads only
 * its own tables). What never changes about a paragraph (its text, version, document, consultation code) is cached.
 */
@Injectable()
export class ContributionTargets {
  private readonly cache = new Map<string, TargetFacts>();

  constructor(
    private readonly places: SubmissionTargets,
    private readonly lookup: ParagraphLookup,
    private readonly consultations: ConsultationsService,
  ) {}

  async paragraph(paragraphId: string): Promise<TargetFacts | null> {
    const hit = this.cache.get(paragraphId);
    if (hit) return hit;
    const place = await this.places.paragraph(paragraphId);
    const intake = place && (await this.consultations.intake(place.consultationId));
    if (!place || !intake) return null;
    const target = { ...place, consultationCode: intake.code };
    if (this.cache.size >= 10_000) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(paragraphId, target);
    return target;
  }

  /** A document's current version, for general comments (not cached: a new version may be published). */
  async document(documentId: string): Promise<TargetFacts | null> {
    const place = await this.places.currentVersion(documentId);
    const intake = place && (await this.consultations.intake(place.consultationId));
    return place && intake ? { ...place, consultationCode: intake.code } : null;
  }

  /** The target with what may change: the consultation's state and the rounds on the version (to explain a refusal). */
  async context(target: { paragraphId: string } | { documentId: string }): Promise<SubmissionContext | null> {
    const facts =
      'paragraphId' in target ? await this.paragraph(target.paragraphId) : await this.document(target.documentId);
    if (!facts) return null;
    const [intake, rounds] = await Promise.all([
      this.consultations.intake(facts.consultationId),
      this.places.roundsOfVersion(facts.versionId),
    ]);
    if (!intake) return null;
    return { ...facts, consultationStatus: intake.status, moderationPolicy: intake.moderationPolicy, rounds };
  }

  async moderationPolicy(consultationId: string, tx: Tx): Promise<string> {
    return (await this.consultations.intake(consultationId, tx))!.moderationPolicy;
  }

  documentRoundOpen(documentId: string, now: Date, tx: Tx): Promise<boolean> {
    return this.places.documentRoundOpen(documentId, now, tx);
  }

  async roundWindow(roundId: string, tx?: Tx): Promise<RoundWindow> {
    return (await this.places.round(roundId, tx))!;
  }

  paragraphTexts(ids: string[]): Promise<Map<string, string>> {
    return this.lookup.texts(ids);
  }

  /** Label and version number of paragraphs (where accepted contributions went). */
  async paragraphPlaces(ids: string[]): Promise<Map<string, { id: string; label: string; version: number }>> {
    const places = await this.lookup.places(ids);
    return new Map([...places.values()].map((p) => [p.id, { id: p.id, label: p.label, version: p.versionNumber }]));
  }
}
