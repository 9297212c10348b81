import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { returnedRows, type Tx } from '@plenary/database';
import { ConsultationEntity, ConsultationMemberEntity } from './consultation.entity';

export interface ConsultationIntake {
  code: string;
  status: string;
  moderationPolicy: string;
}

/**
 * SQL for use inside another lib's statement (the one-statement submission): the status a new contribution to
 * consultation `id` gets (`pending` under pre-moderation, else `published`), or no row when the consultation is not
 * open. The consultations table stays this lib's: others use it only through here.
 */
export function intakeStatusSql(id: string): string {
  return `SELECT CASE WHEN c.moderation_policy = 'pre' THEN 'pending' ELSE 'published' END AS status
            FROM consultations c WHERE c.id = ${id} AND c.status = 'open'`;
}

@Injectable()
export class ConsultationsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  find(id: string, tx: Tx = this.ds.manager): Promise<ConsultationEntity | null> {
    return tx.findOne(ConsultationEntity, { where: { id } });
  }

  /** What decides whether a consultation takes input now and how: its code, status and moderation policy. */
  async intake(id: string, tx: Tx = this.ds.manager): Promise<ConsultationIntake | null> {
    const [r] = await tx.query(`SELECT code, status, moderation_policy FROM consultations WHERE id = $1`, [id]);
    return r ? { code: r.code, status: r.status, moderationPolicy: r.moderation_policy } : null;
  }

  lock(id: string, tx: Tx): Promise<ConsultationEntity | null> {
    return tx.findOne(ConsultationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  codeExists(code: string, tx: Tx): Promise<boolean> {
    return tx.exists(ConsultationEntity, { where: { code } });
  }

  async insert(row: Omit<ConsultationEntity, 'id' | 'createdAt' | 'updatedAt'>, tx: Tx): Promise<ConsultationEntity> {
    return tx.save(tx.create(ConsultationEntity, row));
  }

  async update(id: string, patch: Partial<ConsultationEntity>, tx: Tx): Promise<void> {
    await tx.update(ConsultationEntity, { id }, patch);
  }

  /** Non-draft consultations, plus drafts where the user is a member (all of them for admins). */
  list(userId: string | undefined, isAdmin: boolean): Promise<ConsultationEntity[]> {
    const q = this.ds.manager.createQueryBuilder(ConsultationEntity, 'c');
    if (!isAdmin) {
      q.where(`c.status <> 'draft'`);
      if (userId) {
        q.orWhere(
          `EXISTS (SELECT 1 FROM consultation_members m WHERE m.consultation_id = c.id AND m.user_id = :userId AND m.revoked_at IS NULL)`,
          { userId },
        );
      }
    }
    return q.orderBy('c.created_at', 'DESC').getMany();
  }

  /** Active roles of a user in one consultation. */
  async rolesOf(consultationId: string, userId: string, tx: Tx = this.ds.manager): Promise<string[]> {
    const rows = await tx.find(ConsultationMemberEntity, {
      where: { consultationId, userId, revokedAt: IsNull() },
      select: { role: true },
    });
    return rows.map((r) => r.role);
  }

  async rolesByConsultation(userId: string): Promise<Map<string, string[]>> {
    const rows = await this.ds.manager.find(ConsultationMemberEntity, { where: { userId, revokedAt: IsNull() } });
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(r.consultationId, [...(map.get(r.consultationId) ?? []), r.role]);
    return map;
  }

  addMember(row: Pick<ConsultationMemberEntity, 'consultationId' | 'userId' | 'role' | 'addedBy'>, tx: Tx) {
    return tx.save(tx.create(ConsultationMemberEntity, { ...row, revokedAt: null }));
  }

  /** Sets revoked_at on the user's active roles here; returns how many were revoked. */
  async revokeMember(consultationId: string, userId: string, at: Date, tx: Tx): Promise<number> {
    const res = await tx.query(
      `UPDATE consultation_members SET revoked_at = $3 WHERE consultation_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
      [consultationId, userId, at],
    );
    return returnedRows(res).length;
  }

  async countChairs(consultationId: string, tx: Tx): Promise<number> {
    const [r] = await tx.query(
      `SELECT count(*)::int AS n FROM consultation_members WHERE consultation_id = $1 AND role = 'chair' AND revoked_at IS NULL`,
      [consultationId],
    );
    return r.n;
  }

  /** The consultation's current members, oldest first. */
  members(consultationId: string): Promise<ConsultationMemberEntity[]> {
    return this.ds.manager.find(ConsultationMemberEntity, {
      where: { consultationId, revokedAt: IsNull() },
      order: { createdAt: 'ASC' },
    });
  }
}
