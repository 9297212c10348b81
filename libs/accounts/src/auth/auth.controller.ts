import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { LoginDto, RefreshDto, RegisterDto } from '../dto/account.dto';
import { TokenResponse, UserResponse } from '../dto/account.response';
import type { UserEntity } from '../user.entity';
import { Authenticated, CurrentUser, Public } from './access';
import { AuthService } from './auth.service';
import { LocalAuthGuard } from './guards';
import type { Principal } from './principal';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiCreatedResponse({ type: UserResponse })
  register(@Body() dto: RegisterDto): Promise<UserResponse> {
    return this.auth.register(dto);
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(ThrottlerGuard, LocalAuthGuard)
  @ApiOkResponse({ type: TokenResponse })
  login(@Body() _dto: LoginDto, @Req() req: { user: UserEntity }): Promise<TokenResponse> {
    return this.auth.login(req.user);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @ApiOkResponse({ type: TokenResponse })
  refresh(@Body() dto: RefreshDto): Promise<TokenResponse> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(204)
  logout(@CurrentUser() user: Principal): Promise<void> {
    return this.auth.logout(user);
  }
}
