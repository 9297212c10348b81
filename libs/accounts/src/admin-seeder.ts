import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@plenary/core';
import { AccountsRepository } from './accounts.repository';
import { hashPassword } from './auth/passwords';
import { regionFor } from './regions';

export interface FirstAdmin {
  email: string;
  id: string;
  /** Set only when the password was generated now: print it once, it is stored only as a hash. */
  generatedPassword?: string;
  created: boolean;
}

@Injectable()
export class AdminSeeder {
  constructor(
    private readonly repo: AccountsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates the first administrator when there is none yet; returns what to tell the operator. */
  async ensureFirstAdmin(): Promise<FirstAdmin | null> {
    if ((await this.repo.countAdmins()) > 0) return null;
    const email = this.config.adminEmail;
    const existing = await this.repo.findUserByEmail(email);
    if (existing) {
      await this.repo.updateUser(existing.id, { roles: [...new Set([...existing.roles, 'admin'])].sort() });
      return { id: existing.id, email, created: true };
    }
    const generatedPassword = this.config.adminPassword ? undefined : randomBytes(12).toString('base64url');
    const user = await this.repo.insertUser({
      email,
      passwordHash: await hashPassword(this.config.adminPassword ?? generatedPassword!),
      displayName: 'Administrator',
      roles: ['admin', 'participant'],
      stakeholderGroup: 'intergovernmental',
      organisation: 'Secretariat',
      country: 'CH',
      region: regionFor('CH'),
      capacity: 'representative',
      verified: true,
    });
    return { id: user!.id, email, generatedPassword, created: true };
  }
}
