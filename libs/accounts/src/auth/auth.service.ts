import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, Clock, DomainEvents } from '@plenary/core';
import { AccountErrors } from '../accounts.errors';
import { PrincipalCache } from './principal-cache';
import { AccountsRepository } from '../accounts.repository';
import { LoginDto, RegisterDto } from '../dto/account.dto';
import { mapUser, TokenResponse, UserResponse } from '../dto/account.response';
import { regionFor } from '../regions';
import type { UserEntity } from '../user.entity';
import { LoginLimits } from './login-limits';
import { hashPassword, verifyPassword } from './passwords';
import type { Principal } from './principal';
import type { Tx } from '@plenary/database';

interface AccessClaims {
  sub: string;
  sid: string;
  exp?: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

@Injectable()
export class AuthService {
  constructor(
    private readonly repo: AccountsRepository,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly principals: PrincipalCache,
    private readonly events: DomainEvents,
    private readonly loginLimits: LoginLimits,
  ) {}

  async register(dto: RegisterDto): Promise<UserResponse> {
    const user = await this.repo.insertUser({
      email: dto.email,
      passwordHash: await hashPassword(dto.password),
      displayName: dto.displayName,
      roles: ['participant'],
      stakeholderGroup: dto.stakeholderGroup,
      organisation: dto.organisation,
      country: dto.country,
      region: regionFor(dto.country),
      capacity: dto.capacity,
      verified: false,
    });
    if (!user) throw AccountErrors.emailTaken();
    return mapUser(user, { withEmail: true });
  }

  /**
   * Checks credentials from a client address; the same error for an unknown email and a wrong password. A wrong one
   * counts against the email and the address (LoginLimits); past their limits the attempt is refused unchecked.
   */
  async validateCredentials(dto: LoginDto, clientAddress: string): Promise<UserEntity> {
    const attempt = await this.loginLimits.begin(dto.email, clientAddress);
    let failed = false;
    try {
      const user = await this.repo.findUserByEmail(dto.email);
      const ok = await verifyPassword(user?.passwordHash, dto.password);
      if (!user || !ok) {
        failed = true;
        throw AccountErrors.invalidCredentials();
      }
      if (user.suspendedAt) throw AccountErrors.suspended();
      return user;
    } finally {
      // Only a wrong password counts; a right one, or our own failure (database down), gives the slots back.
      if (!failed) await attempt.succeeded();
    }
  }

  async login(user: UserEntity): Promise<TokenResponse> {
    return this.repo.transaction(async (tx) => {
      const session = await this.repo.createSession(user.id, tx);
      const refreshToken = await this.issueRefreshToken(session.id, tx);
      return this.tokens(user, session.id, refreshToken);
    });
  }

  /**
   * Rotates a refresh token. A token presented twice means it was stolen or replayed: the whole
   * session is revoked, so both the thief and the owner must sign in again.
   */
  async refresh(presented: string): Promise<TokenResponse> {
    const [id, secret] = presented.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) throw AccountErrors.invalidRefreshToken();
    const outcome = await this.repo.transaction(async (tx) => {
      const token = await this.repo.findRefreshToken(id, tx);
      if (!token || !safeEqual(token.tokenHash, sha256(secret))) return { error: true as const };
      const session = await this.repo.findSession(token.sessionId, tx);
      if (!session || session.revokedAt) return { error: true as const };
      const now = this.clock.now();
      if (token.usedAt) {
        await this.repo.revokeSession(session.id, 'refresh_reuse', now, tx);
        this.principals.forgetSession(session.id);
        this.events.accessChanged({ kind: 'session_revoked', sessionId: session.id });
        return { error: true as const };
      }
      if (token.expiresAt <= now) return { error: true as const };
      const user = await this.repo.findUserById(session.userId, tx);
      if (!user || user.suspendedAt) return { error: true as const };
      await this.repo.markRefreshTokenUsed(token.id, now, tx);
      const refreshToken = await this.issueRefreshToken(session.id, tx);
      return { error: false as const, result: this.tokens(user, session.id, refreshToken) };
    });
    if (outcome.error) throw AccountErrors.invalidRefreshToken();
    return outcome.result;
  }

  async logout(principal: Principal): Promise<void> {
    await this.repo.revokeSession(principal.sessionId, 'logout', this.clock.now());
    this.principals.forgetSession(principal.sessionId);
    this.events.accessChanged({ kind: 'session_revoked', sessionId: principal.sessionId });
  }

  /**
   * Resolves a verified access token's claims to a live principal, or throws 401/403. A token must say when it
   * expires: one without `exp` (never issued here) would be good forever, so it is refused.
   */
  async principalFor(claims: AccessClaims): Promise<Principal> {
    if (
      typeof claims?.sub !== 'string' ||
      typeof claims?.sid !== 'string' ||
      typeof claims?.exp !== 'number' ||
      !Number.isFinite(claims.exp)
    )
      throw AccountErrors.invalidAccessToken();
    const cached = this.principals.get(claims.sid, claims.sub);
    if (cached) return cached;
    const found = await this.repo.findPrincipal(claims.sub, claims.sid);
    if (!found || found.sessionRevoked) throw AccountErrors.invalidAccessToken();
    if (found.user.suspendedAt) throw AccountErrors.suspended();
    const u = found.user;
    const principal: Principal = {
      id: u.id,
      sessionId: claims.sid,
      roles: u.roles,
      displayName: u.displayName,
      profile: {
        stakeholderGroup: u.stakeholderGroup,
        organisation: u.organisation,
        country: u.country,
        region: u.region,
        capacity: u.capacity,
        verified: u.verified,
      },
    };
    this.principals.set(principal);
    return principal;
  }

  /** Verifies an access token (signature, expiry) and resolves it; used by HTTP guards and the socket gateway. */
  async authenticate(token: string): Promise<Principal> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw AccountErrors.invalidAccessToken();
    }
    return this.principalFor(claims);
  }

  private async issueRefreshToken(sessionId: string, tx: Tx): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + this.config.refreshTokenTtl * 1000);
    const row = await this.repo.insertRefreshToken(sessionId, sha256(secret), expiresAt, tx);
    return `${row.id}.${secret}`;
  }

  private tokens(user: UserEntity, sessionId: string, refreshToken: string): TokenResponse {
    const claims: AccessClaims = { sub: user.id, sid: sessionId };
    return {
      accessToken: this.jwt.sign(claims, { expiresIn: this.config.accessTokenTtl, algorithm: 'HS256' }),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.config.accessTokenTtl,
      user: mapUser(user, { withEmail: true }),
    };
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
