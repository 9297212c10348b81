import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '@plenary/core';
import { Authenticated, CurrentUser, Roles } from './auth/access';
import type { Principal } from './auth/principal';
import { AdminUpdateUserDto, UpdateProfileDto, UserQueryDto } from './dto/account.dto';
import { UserPageResponse, UserResponse } from './dto/account.response';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('api')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @Authenticated()
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentUser() user: Principal): Promise<UserResponse> {
    return this.users.me(user);
  }

  @Patch('me')
  @Authenticated()
  @ApiOkResponse({ type: UserResponse })
  updateMe(@CurrentUser() user: Principal, @Body() dto: UpdateProfileDto): Promise<UserResponse> {
    return this.users.updateMe(user, dto);
  }

  @Get('users')
  @Roles('admin')
  @ApiOkResponse({ type: UserPageResponse })
  list(@Query() q: UserQueryDto): Promise<UserPageResponse> {
    return this.users.list(q);
  }

  @Get('users/:id')
  @Roles('admin')
  @ApiOkResponse({ type: UserResponse })
  get(@Param('id', UuidParam()) id: string): Promise<UserResponse> {
    return this.users.get(id);
  }

  @Patch('users/:id')
  @Roles('admin')
  @ApiOkResponse({ type: UserResponse })
  update(
    @CurrentUser() actor: Principal,
    @Param('id', UuidParam()) id: string,
    @Body() dto: AdminUpdateUserDto,
  ): Promise<UserResponse> {
    return this.users.adminUpdate(actor, id, dto);
  }
}
