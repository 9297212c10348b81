import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { CommonErrors } from '@plenary/core';
import type { UserEntity } from '../user.entity';
import { LoginDto } from '../dto/account.dto';
import { AuthService } from './auth.service';

/**
 * Email and password sign-in. Guards run before pipes, so the body is validated here with the same DTO
 * rules the OpenAPI document shows.
 */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  /** `req.ip` is the client's address as TRUST_PROXY says to read it (Express's `trust proxy`). */
  async validate(req: Request, email: string, password: string): Promise<UserEntity> {
    const dto = plainToInstance(LoginDto, { email, password });
    const errors = await validate(dto);
    if (errors.length) {
      const fields = errors.map((e) => ({ field: e.property, problems: Object.values(e.constraints ?? {}) }));
      throw CommonErrors.validation(fields.map((f) => `${f.field}: ${f.problems.join('; ')}`).join('. '), { fields });
    }
    return this.auth.validateCredentials(dto, req.ip ?? req.socket?.remoteAddress ?? 'unknown');
  }
}
