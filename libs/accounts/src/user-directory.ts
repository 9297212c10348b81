import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '@plenary/database';

/** What other libs may know of an account: its id, name and organisation. */
export interface DirectoryEntry {
  id: string;
  displayName: string;
  organisation: string;
}

/** The read model other libs use to name and find accounts (the users table is this lib's alone). */
@Injectable()
export class UserDirectory {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async entries(ids: string[], tx: Tx = this.ds.manager): Promise<Map<string, DirectoryEntry>> {
    if (!ids.length) return new Map();
    const rows: { id: string; display_name: string; organisation: string }[] = await tx.query(
      `SELECT id, display_name, organisation FROM users WHERE id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, displayName: r.display_name, organisation: r.organisation }]));
  }

  async exists(id: string, tx: Tx = this.ds.manager): Promise<boolean> {
    return (await this.entries([id], tx)).has(id);
  }

  /** The account that signs in with this email, if any. */
  async idByEmail(email: string, tx: Tx = this.ds.manager): Promise<string | null> {
    const [r] = await tx.query(`SELECT id FROM users WHERE email = $1`, [email.toLowerCase()]);
    return r?.id ?? null;
  }
}
