import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@plenary/accounts';
import { ConsultationsService } from '@plenary/consultations';
import { APP_CONFIG, AppConfig, Clock } from '@plenary/core';
import { DocumentsService, RoundsService } from '@plenary/documents';
import { DEMO_DRAFT } from './demo-draft';

/**
 * On a first start (no consultation yet, SEED_DEMO not false) a demo consultation with an imported draft
 * and a round open for 30 days, so a new user has something to look at. Made through the same services
 * as the API, by the first admin.
 */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly consultations: ConsultationsService,
    private readonly documents: DocumentsService,
    private readonly rounds: RoundsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async seedIfEmpty(adminId: string): Promise<string | null> {
    if (!this.config.seedDemo) return null;
    // The seeder acts as the first admin; the profile is not used by what it does (no contributions).
    const admin: Principal = {
      id: adminId,
      sessionId: 'seed',
      roles: ['admin'],
      displayName: 'Administrator',
      profile: {
        stakeholderGroup: 'intergovernmental',
        organisation: 'Secretariat',
        country: 'CH',
        region: 'western_european_others',
        capacity: 'representative',
        verified: true,
      },
    };
    if ((await this.consultations.list(admin)).length > 0) return null;
    const c = await this.consultations.create(admin, {
      title: 'Demo: international and regional cooperation beyond 2025',
      code: 'DEMO',
      description:
        'A demonstration consultation seeded on first start. Register, comment on a paragraph and watch the record build up.',
      moderationPolicy: 'post',
    });
    const { document } = await this.documents.import(c.id, admin, { format: 'markdown', content: DEMO_DRAFT });
    const now = this.clock.now();
    await this.rounds.create(c.id, admin, {
      documentId: document.id,
      opensAt: now.toISOString(),
      closesAt: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
    });
    await this.consultations.update(c.id, admin, { status: 'open' });
    return c.title;
  }
}
