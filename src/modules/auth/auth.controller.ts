import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/http/rate-limit.js';
import { CurrentUser, Origin, Public, type RequestOrigin, UserRoute } from '../../common/auth/route-access.js';
import type { AuthUser } from '../../common/auth/roles.js';
import { AuthService } from './auth.service.js';
import { LoginDto, RefreshDto, SignupDto } from './dto/auth.dto.js';

@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @RateLimit('credentials')
  @Post('auth/signup')
  signup(@Body() dto: SignupDto, @Origin() origin: RequestOrigin) {
    return this.auth.signup(dto, origin);
  }

  @Public()
  @RateLimit('credentials')
  @HttpCode(200)
  @Post('auth/login')
  login(@Body() dto: LoginDto, @Origin() origin: RequestOrigin) {
    return this.auth.login(dto, origin);
  }

  @Public()
  @HttpCode(200)
  @Post('auth/refresh')
  refresh(@Body() dto: RefreshDto, @Origin() origin: RequestOrigin) {
    return this.auth.refresh(dto.refreshToken, origin);
  }

  @Public()
  @HttpCode(204)
  @Post('auth/logout')
  async logout(@Body() dto: RefreshDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }

  @UserRoute()
  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return this.auth.me(user.userId);
  }
}
