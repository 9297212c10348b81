import { Injectable } from '@nestjs/common';
import { Clock, CommonErrors, DomainEvents } from '@plenary/core';
import type { Tx } from '@plenary/database';
import { AccountErrors } from './accounts.errors';
import { AccountsRepository } from './accounts.repository';
import { PrincipalCache } from './auth/principal-cache';
import { AuditLog } from './audit/audit-log';
import type { Principal } from './auth/principal';
import { AdminUpdateUserDto, UpdateProfileDto, UserQueryDto } from './dto/account.dto';
import { mapUser, UserPageResponse, UserResponse } from './dto/account.response';
import { regionFor } from './regions';
import type { UserEntity } from './user.entity';

@Injectable()
export class UsersService {
  constructor(
    private readonly repo: AccountsRepository,
    private readonly clock: Clock,
    private readonly principals: PrincipalCache,
    private readonly events: DomainEvents,
    private readonly audit: AuditLog,
  ) {}

  async me(principal: Principal): Promise<UserResponse> {
    const user = await this.repo.findUserById(principal.id);
    if (!user) throw AccountErrors.userNotFound(principal.id);
    return mapUser(user, { withEmail: true });
  }

  /**
   * A user edits their own stakeholder profile. Verification vouches for one person in one organisation, group,
   * country and capacity (a verified personal account must not become a verified representative who speaks "on behalf
   * of" an organisation), so changing any of them lapses it until an admin verifies again.
   * Contributions already made keep the snapshot taken when they were submitted.
   */
  async updateMe(principal: Principal, dto: UpdateProfileDto): Promise<UserResponse> {
    return this.forgettingAfter(principal.id, async (tx) => {
      const user = await this.repo.lockUser(principal.id, tx);
      if (!user) throw AccountErrors.userNotFound(principal.id);
      const patch: Partial<UserEntity> = { ...dto };
      if (dto.country) patch.region = regionFor(dto.country);
      const identityChanged =
        (dto.organisation !== undefined && dto.organisation !== user.organisation) ||
        (dto.stakeholderGroup !== undefined && dto.stakeholderGroup !== user.stakeholderGroup) ||
        (dto.country !== undefined && dto.country !== user.country) ||
        (dto.capacity !== undefined && dto.capacity !== user.capacity);
      if (identityChanged) patch.verified = false;
      await this.repo.updateUser(user.id, patch, tx);
      return mapUser((await this.repo.findUserById(user.id, tx))!, { withEmail: true });
    });
  }

  async get(id: string): Promise<UserResponse> {
    const user = await this.repo.findUserById(id);
    if (!user) throw AccountErrors.userNotFound(id);
    return mapUser(user, { withEmail: true });
  }

  async list(q: UserQueryDto): Promise<UserPageResponse> {
    const limit = q.limit ?? 50;
    const rows = await this.repo.listUsers({
      group: q.group,
      region: q.region,
      role: q.role,
      verified: q.verified,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((u) => mapUser(u, { withEmail: true })),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  /** Admin: roles, verification, suspension. The last active admin cannot be demoted or suspended. */
  async adminUpdate(actor: Principal, id: string, dto: AdminUpdateUserDto): Promise<UserResponse> {
    return this.forgettingAfter(id, async (tx) => {
      const user = await this.repo.lockUser(id, tx);
      if (!user) throw AccountErrors.userNotFound(id);
      const patch: Partial<UserEntity> = {};
      if (dto.roles) patch.roles = [...new Set(['participant', ...dto.roles])].sort();
      if (dto.verified !== undefined) patch.verified = dto.verified;
      if (dto.suspended !== undefined) {
        if (dto.suspended && actor.id === id) throw CommonErrors.conflict('You cannot suspend your own account.');
        patch.suspendedAt = dto.suspended ? (user.suspendedAt ?? this.clock.now()) : null;
      }
      const losesAdmin =
        user.roles.includes('admin') &&
        !user.suspendedAt &&
        ((patch.roles && !patch.roles.includes('admin')) || (patch.suspendedAt ?? null) !== null);
      if (losesAdmin && (await this.repo.countActiveAdmins(tx)) <= 1) throw AccountErrors.lastAdmin();
      await this.repo.updateUser(id, patch, tx);
      if (patch.suspendedAt) await this.repo.revokeUserSessions(id, 'suspended', this.clock.now(), tx);
      const state = (u: { roles: string[]; verified: boolean; suspendedAt: Date | null }) => ({
        roles: u.roles,
        verified: u.verified,
        suspended: u.suspendedAt !== null,
      });
      await this.audit.record(tx, [
        {
          consultationId: null,
          actor,
          action: 'account.updated',
          subjectType: 'user',
          subjectId: id,
          before: state(user),
          after: state({ ...user, ...patch } as UserEntity),
        },
      ]);
      return mapUser((await this.repo.findUserById(id, tx))!, { withEmail: true });
    });
  }

  /** Runs a change to a user, then drops their cached principals (after commit, so none is re-cached stale). */
  private async forgettingAfter<T>(userId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await this.repo.transaction(work);
    this.principals.forgetUser(userId);
    this.events.accessChanged({ kind: 'user_changed', userId });
    return result;
  }
}

function encodeCursor(u: UserEntity): string {
  return Buffer.from(JSON.stringify([u.createdAt.toISOString(), u.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const createdAt = new Date(at);
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime())) throw new Error();
    return { createdAt, id };
  } catch {
    throw CommonErrors.validation('cursor is not valid: use the nextCursor of the previous page.', {
      fields: [{ field: 'cursor', problems: ['not a cursor this API issued'] }],
    });
  }
}
