import { Injectable } from '@nestjs/common';
import type { Principal } from './principal';

/** How long a resolved access token is trusted without asking the database again. */
export const PRINCIPAL_TTL_MS = 2000;
const MAX_ENTRIES = 20_000;

/**
 * Resolved principals by session, for two seconds. Every authenticated request otherwise reads the user and
 * session rows; this process forgets an entry at once on logout, role change, suspension and profile edits, and
 * other processes within PRINCIPAL_TTL_MS.
 */
@Injectable()
export class PrincipalCache {
  private readonly entries = new Map<string, { at: number; principal: Principal }>();

  get(sessionId: string, userId: string): Principal | undefined {
    const e = this.entries.get(sessionId);
    if (!e || e.principal.id !== userId) return undefined;
    if (performance.now() - e.at > PRINCIPAL_TTL_MS) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return e.principal;
  }

  set(principal: Principal): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(principal.sessionId, { at: performance.now(), principal });
  }

  forgetSession(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  forgetUser(userId: string): void {
    for (const [k, e] of this.entries) if (e.principal.id === userId) this.entries.delete(k);
  }
}
