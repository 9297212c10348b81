import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx as EntityManager } from '@plenary/database';
import { RefreshTokenEntity, SessionEntity } from './auth/session.entity';
import { UserEntity } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  displayName: string;
  roles: string[];
  stakeholderGroup: string;
  organisation: string;
  country: string;
  region: string;
  capacity: string;
  verified: boolean;
}

export interface UserFilter {
  group?: string;
  region?: string;
  role?: string;
  verified?: boolean;
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** All SQL of accounts and sessions. */
@Injectable()
export class AccountsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  findUserById(id: string, em: EntityManager = this.ds.manager): Promise<UserEntity | null> {
    return em.findOne(UserEntity, { where: { id } });
  }

  findUserByEmail(email: string): Promise<UserEntity | null> {
    return this.ds.manager.findOne(UserEntity, { where: { email: email.toLowerCase() } });
  }

  /** Inserts a user; returns null when the email is already taken (unique index), never throws for it. */
  async insertUser(user: NewUser, em: EntityManager = this.ds.manager): Promise<UserEntity | null> {
    const rows = await em
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values(user)
      .orIgnore()
      .returning('*')
      .execute();
    if (!rows.raw.length) return null;
    return em.findOneOrFail(UserEntity, { where: { id: rows.raw[0].id } });
  }

  async updateUser(id: string, patch: Partial<UserEntity>, em: EntityManager = this.ds.manager): Promise<void> {
    await em.update(UserEntity, { id }, patch);
  }

  /** Locks a user row for a read-modify-write (role changes). */
  lockUser(id: string, em: EntityManager): Promise<UserEntity | null> {
    return em.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async countActiveAdmins(em: EntityManager): Promise<number> {
    const [{ n }] = await em.query(
      `SELECT count(*)::int AS n FROM users WHERE 'admin' = ANY(roles) AND suspended_at IS NULL`,
    );
    return n;
  }

  countAdmins(): Promise<number> {
    return this.countActiveAdmins(this.ds.manager);
  }

  /**
   * Keyset pagination on (created_at to the millisecond, id): stable while rows are added. The cursor
   * travels through a JS Date, which holds milliseconds, so the comparison uses the same precision.
   */
  listUsers(f: UserFilter): Promise<UserEntity[]> {
    const q = this.ds.manager.createQueryBuilder(UserEntity, 'u');
    if (f.group) q.andWhere('u.stakeholder_group = :group', { group: f.group });
    if (f.region) q.andWhere('u.region = :region', { region: f.region });
    if (f.role) q.andWhere(':role = ANY(u.roles)', { role: f.role });
    if (f.verified !== undefined) q.andWhere('u.verified = :verified', { verified: f.verified });
    const at = "date_trunc('milliseconds', u.created_at)";
    if (f.after) q.andWhere(`(${at}, u.id) > (:at, :id)`, { at: f.after.createdAt, id: f.after.id });
    return q.orderBy(at, 'ASC').addOrderBy('u.id', 'ASC').limit(f.limit).getMany();
  }

  createSession(userId: string, em: EntityManager): Promise<SessionEntity> {
    return em.save(em.create(SessionEntity, { userId, revokedAt: null, revokedReason: null }));
  }

  insertRefreshToken(
    sessionId: string,
    tokenHash: string,
    expiresAt: Date,
    em: EntityManager,
  ): Promise<RefreshTokenEntity> {
    return em.save(em.create(RefreshTokenEntity, { sessionId, tokenHash, expiresAt, usedAt: null }));
  }

  findRefreshToken(id: string, em: EntityManager): Promise<RefreshTokenEntity | null> {
    return em.findOne(RefreshTokenEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async markRefreshTokenUsed(id: string, at: Date, em: EntityManager): Promise<void> {
    await em.update(RefreshTokenEntity, { id }, { usedAt: at });
  }

  findSession(id: string, em: EntityManager = this.ds.manager): Promise<SessionEntity | null> {
    return em.findOne(SessionEntity, { where: { id } });
  }

  async revokeSession(id: string, reason: string, at: Date, em: EntityManager = this.ds.manager): Promise<void> {
    await em
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: at, revokedReason: reason })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
  }

  async revokeUserSessions(
    userId: string,
    reason: string,
    at: Date,
    em: EntityManager = this.ds.manager,
  ): Promise<void> {
    await em
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: at, revokedReason: reason })
      .where('user_id = :userId AND revoked_at IS NULL', { userId })
      .execute();
  }

  /** The user behind an access token, with whether its session is still live: one query per request. */
  async findPrincipal(
    userId: string,
    sessionId: string,
  ): Promise<{ user: UserEntity; sessionRevoked: boolean } | null> {
    const row = await this.ds.manager
      .createQueryBuilder(UserEntity, 'u')
      .innerJoin(SessionEntity, 's', 's.user_id = u.id AND s.id = :sessionId', { sessionId })
      .addSelect('s.revoked_at', 'session_revoked_at')
      .where('u.id = :userId', { userId })
      .getRawAndEntities();
    if (!row.entities.length) return null;
    return { user: row.entities[0], sessionRevoked: row.raw[0].session_revoked_at !== null };
  }
}
