import { Injectable } from '@nestjs/common';
import { Clock, DomainEvents } from '@plenary/core';
import { AuditLog, UserDirectory } from '@plenary/accounts';
import { hasRole, Principal } from '@plenary/accounts';
import type { Tx } from '@plenary/database';
import { ConsultationAccess } from './consultation-access';
import type { ConsultationEntity } from './consultation.entity';
import { ConsultationErrors } from './consultations.errors';
import { ConsultationIntake, ConsultationsRepository } from './consultations.repository';
import {
  AddMemberDto,
  ConsultationResponse,
  CreateConsultationDto,
  MemberResponse,
  UpdateConsultationDto,
} from './dto/consultation.dto';

const TRANSITIONS: Record<string, string[]> = {
  draft: ['open', 'archived'],
  open: ['closed'],
  closed: ['open', 'archived'],
  archived: [],
};

export function mapConsultation(c: ConsultationEntity, myRoles?: string[]): ConsultationResponse {
  return {
    id: c.id,
    code: c.code,
    title: c.title,
    description: c.description,
    moderationPolicy: c.moderationPolicy,
    status: c.status,
    nextStatuses: TRANSITIONS[c.status] ?? [],
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    ...(myRoles ? { myRoles } : {}),
  };
}

@Injectable()
export class ConsultationsService {
  constructor(
    private readonly repo: ConsultationsRepository,
    private readonly access: ConsultationAccess,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    private readonly audit: AuditLog,
    private readonly directory: UserDirectory,
  ) {}

  /** A chair or admin creates a consultation (status draft) and becomes its first chair. */
  async create(p: Principal, dto: CreateConsultationDto): Promise<ConsultationResponse> {
    return this.repo.transaction(async (tx) => {
      const code = dto.code ?? (await this.freeCode(dto.title, tx));
      if (dto.code && (await this.repo.codeExists(code, tx))) throw ConsultationErrors.codeTaken(code);
      const c = await this.repo.insert(
        {
          code,
          title: dto.title,
          description: dto.description ?? '',
          moderationPolicy: dto.moderationPolicy,
          status: 'draft',
          createdBy: p.id,
        },
        tx,
      );
      await this.repo.addMember({ consultationId: c.id, userId: p.id, role: 'chair', addedBy: p.id }, tx);
      return mapConsultation(c, ['chair']);
    });
  }

  async list(p: Principal | undefined): Promise<ConsultationResponse[]> {
    const rows = await this.repo.list(p?.id, hasRole(p));
    const mine = p ? await this.repo.rolesByConsultation(p.id) : new Map<string, string[]>();
    return rows.map((c) => mapConsultation(c, p ? (mine.get(c.id) ?? []) : undefined));
  }

  /** Code, status and moderation policy, for libs that take input into a consultation (no access check: internal). */
  intake(id: string, tx?: Tx): Promise<ConsultationIntake | null> {
    return this.repo.intake(id, tx);
  }

  async get(id: string, p: Principal | undefined): Promise<ConsultationResponse> {
    const c = await this.access.readable(id, p);
    return mapConsultation(c, p ? await this.access.rolesIn(id, p) : undefined);
  }

  async update(id: string, p: Principal, dto: UpdateConsultationDto): Promise<ConsultationResponse> {
    return this.repo.transaction(async (tx) => {
      await this.access.requireChair(id, p, tx);
      const c = (await this.repo.lock(id, tx))!;
      if (dto.status && dto.status !== c.status && !TRANSITIONS[c.status].includes(dto.status)) {
        throw ConsultationErrors.badTransition(c.status, dto.status);
      }
      await this.repo.update(id, dto, tx);
      return mapConsultation((await this.repo.find(id, tx))!, await this.access.rolesIn(id, p, tx));
    });
  }

  async members(id: string, p: Principal): Promise<MemberResponse[]> {
    await this.access.requireModerator(id, p);
    const members = await this.repo.members(id);
    const names = await this.directory.entries(members.map((m) => m.userId));
    return members.map((member) => ({
      id: member.id,
      userId: member.userId,
      displayName: names.get(member.userId)?.displayName ?? '',
      organisation: names.get(member.userId)?.organisation ?? '',
      role: member.role,
      addedBy: member.addedBy,
      createdAt: member.createdAt.toISOString(),
    }));
  }

  async addMember(id: string, p: Principal, dto: AddMemberDto): Promise<MemberResponse[]> {
    const userId = await this.repo.transaction(async (tx) => {
      await this.access.requireChair(id, p, tx);
      const userId = dto.userId ?? (await this.directory.idByEmail(dto.email!, tx));
      if (!userId) throw ConsultationErrors.noAccountFor(dto.email!);
      if (!(await this.directory.exists(userId, tx))) throw ConsultationErrors.userNotFound(userId);
      if ((await this.repo.rolesOf(id, userId, tx)).includes(dto.role)) return userId;
      await this.repo.addMember({ consultationId: id, userId, role: dto.role, addedBy: p.id }, tx);
      await this.audit.record(tx, [
        {
          consultationId: id,
          actor: p,
          action: 'member.added',
          subjectType: 'user',
          subjectId: userId,
          after: { role: dto.role },
        },
      ]);
      return userId;
    });
    this.events.accessChanged({ kind: 'membership_changed', consultationId: id, userId });
    return this.members(id, p);
  }

  async removeMember(id: string, p: Principal, userId: string): Promise<MemberResponse[]> {
    await this.repo.transaction(async (tx) => {
      await this.access.requireChair(id, p, tx);
      await this.repo.lock(id, tx);
      const roles = await this.repo.rolesOf(id, userId, tx);
      if (!roles.length) throw ConsultationErrors.notMember(userId);
      if (roles.includes('chair') && (await this.repo.countChairs(id, tx)) <= 1) throw ConsultationErrors.lastChair();
      await this.repo.revokeMember(id, userId, this.clock.now(), tx);
      await this.audit.record(tx, [
        {
          consultationId: id,
          actor: p,
          action: 'member.removed',
          subjectType: 'user',
          subjectId: userId,
          before: { roles },
          after: { roles: [] },
        },
      ]);
    });
    this.events.accessChanged({ kind: 'membership_changed', consultationId: id, userId });
    return this.members(id, p);
  }

  /** A code from the title's initials (digits kept), made unique with a number. */
  private async freeCode(title: string, tx: Tx): Promise<string> {
    const words = title.toUpperCase().match(/[A-Z0-9]+/g) ?? ['C'];
    const base =
      (words.find((w) => /^[A-Z]\d+$/.test(w)) ?? words.map((w) => (/^\d+$/.test(w) ? w : w[0])).join('')).slice(
        0,
        8,
      ) || 'C';
    const start = base.length >= 2 ? base : `${base}C`;
    for (let i = 1; ; i++) {
      const code = i === 1 ? start : `${start}${i}`;
      if (!(await this.repo.codeExists(code, tx))) return code;
    }
  }
}
