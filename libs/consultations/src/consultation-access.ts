import { Injectable } from '@nestjs/common';
import { hasRole, Principal } from '@plenary/accounts';
import type { Tx } from '@plenary/database';
import type { ConsultationEntity } from './consultation.entity';
import { ConsultationErrors } from './consultations.errors';
import { ConsultationsRepository } from './consultations.repository';

/**
 * Who may do what inside one consultation. Other libs (documents, contributions, moderation) ask here,
 * so the rule is written once.
 */
@Injectable()
export class ConsultationAccess {
  constructor(private readonly repo: ConsultationsRepository) {}

  async rolesIn(consultationId: string, p: Principal | undefined, tx?: Tx): Promise<string[]> {
    if (!p) return [];
    return this.repo.rolesOf(consultationId, p.id, tx);
  }

  /** Loads a consultation the caller may read: drafts only for members and admins; others get 404. */
  async readable(id: string, p: Principal | undefined, tx?: Tx): Promise<ConsultationEntity> {
    const c = await this.repo.find(id, tx);
    if (!c) throw ConsultationErrors.notFound(id);
    if (c.status === 'draft' && !hasRole(p) && (await this.rolesIn(id, p, tx)).length === 0) {
      throw ConsultationErrors.notFound(id);
    }
    return c;
  }

  async requireChair(id: string, p: Principal, tx?: Tx): Promise<ConsultationEntity> {
    const c = await this.readable(id, p, tx);
    if (!hasRole(p) && !(await this.rolesIn(id, p, tx)).includes('chair')) throw ConsultationErrors.notChair();
    return c;
  }

  async requireModerator(id: string, p: Principal, tx?: Tx): Promise<ConsultationEntity> {
    const c = await this.readable(id, p, tx);
    const roles = await this.rolesIn(id, p, tx);
    if (!hasRole(p) && !roles.includes('chair') && !roles.includes('moderator'))
      throw ConsultationErrors.notModerator();
    return c;
  }

  async isModerator(id: string, p: Principal | undefined, tx?: Tx): Promise<boolean> {
    if (!p) return false;
    if (hasRole(p)) return true;
    const roles = await this.rolesIn(id, p, tx);
    return roles.includes('chair') || roles.includes('moderator');
  }
}
