import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { UserEntity } from '../user.entity';

export class StakeholderProfileResponse {
  @ApiProperty() stakeholderGroup: string;
  @ApiProperty() organisation: string;
  @ApiProperty() country: string;
  @ApiProperty() region: string;
  @ApiProperty() capacity: string;
  @ApiProperty() verified: boolean;
}

export class UserResponse {
  @ApiProperty() id: string;
  @ApiPropertyOptional({ description: 'Shown to the user and to administrators only' }) email?: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty() profile: StakeholderProfileResponse;
  @ApiProperty() suspended: boolean;
  @ApiProperty() createdAt: string;
}

export class UserPageResponse {
  @ApiProperty({ type: [UserResponse] }) items: UserResponse[];
  @ApiPropertyOptional({ nullable: true }) nextCursor: string | null;
}

export class TokenResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn: number;
  @ApiProperty() user: UserResponse;
}

export function mapProfile(u: UserEntity): StakeholderProfileResponse {
  return {
    stakeholderGroup: u.stakeholderGroup,
    organisation: u.organisation,
    country: u.country,
    region: u.region,
    capacity: u.capacity,
    verified: u.verified,
  };
}

export function mapUser(u: UserEntity, opts: { withEmail: boolean }): UserResponse {
  return {
    id: u.id,
    ...(opts.withEmail ? { email: u.email } : {}),
    displayName: u.displayName,
    roles: [...u.roles].sort(),
    profile: mapProfile(u),
    suspended: u.suspendedAt !== null,
    createdAt: u.createdAt.toISOString(),
  };
}
