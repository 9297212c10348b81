import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Role } from '../stakeholder';
import type { Principal } from './principal';

/**
 * Every route declares who may call it. The global AccessGuard refuses a route without a rule, and a
 * test enumerates every registered route to prove each has one. Rules that depend on a consultation
 * (moderator *of this* consultation) are checked by the service, which knows the consultation.
 */
export type AccessRule = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'roles'; roles: Role[] };

export const ACCESS_RULE = 'plenary:access-rule';

/** Anyone, signed in or not. A token, if sent, must still be valid. */
export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

/** Any signed-in, non-suspended account. */
export const Authenticated = () =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'authenticated' } satisfies AccessRule), ApiBearerAuth());

/** Accounts holding one of these platform roles (admin always passes). */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'roles', roles } satisfies AccessRule), ApiBearerAuth());

/** The signed-in principal (undefined on public routes called without a token). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest().user;
});
