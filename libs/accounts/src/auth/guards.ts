import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { CommonErrors, DomainError } from '@plenary/core';
import { AccountErrors } from '../accounts.errors';
import { ACCESS_RULE, AccessRule } from './access';
import { hasRole, Principal } from './principal';

/** Global guard: authenticates a Bearer token when one is sent, then applies the route's declared rule. */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(private readonly reflector: Reflector) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) {
      // Fail closed: a route nobody thought about is a route nobody may use.
      this.logger.error(`Route without an access rule: ${context.getClass().name}.${context.getHandler().name}`);
      throw new DomainError('NO_ACCESS_RULE', 403, 'This route has no access rule and is closed.');
    }
    const req = context.switchToHttp().getRequest();
    const hasToken = typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0;
    if (hasToken) await (super.canActivate(context) as Promise<boolean>);
    const user: Principal | undefined = req.user;
    if (rule.kind === 'public') return true;
    if (!user) throw CommonErrors.unauthenticated();
    if (rule.kind === 'roles' && !hasRole(user, ...rule.roles)) {
      throw CommonErrors.forbidden(`This needs one of these roles: ${rule.roles.join(', ')}.`);
    }
    return true;
  }

  handleRequest<T>(err: unknown, user: T): T {
    // `err` comes from our own validate() (a domain error, or the database failing: the filter maps it);
    // a bad or expired token arrives as a missing user.
    if (err) throw err;
    if (!user) throw AccountErrors.invalidAccessToken();
    return user;
  }
}

@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  handleRequest<T>(err: unknown, user: T, info: { message?: string } | undefined): T {
    if (err) throw err;
    if (info?.message === 'Missing credentials') {
      throw CommonErrors.validation('email and password are required.', {
        fields: [
          { field: 'email', problems: ['email is required'] },
          { field: 'password', problems: ['password is required'] },
        ],
      });
    }
    if (!user) throw AccountErrors.invalidCredentials();
    return user;
  }
}
