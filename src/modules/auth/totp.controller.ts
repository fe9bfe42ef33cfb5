import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, UserRoute } from '../../common/auth/route-access.js';
import type { AuthUser } from '../../common/auth/roles.js';
import { TotpCodeDto } from './dto/auth.dto.js';
import { TotpService } from './totp.service.js';
import { UsersService } from './users.service.js';

@ApiTags('auth')
@Controller('v1/auth/totp')
export class TotpController {
  constructor(
    private readonly totp: TotpService,
    private readonly users: UsersService,
  ) {}

  @UserRoute()
  @HttpCode(200)
  @Post('setup')
  async setup(@CurrentUser() user: AuthUser) {
    return this.totp.setup(await this.users.get(user.userId));
  }

  @UserRoute()
  @HttpCode(200)
  @Post('enable')
  async enable(@CurrentUser() user: AuthUser, @Body() dto: TotpCodeDto) {
    await this.totp.enable(await this.users.get(user.userId), dto.code);
    return { totpEnabled: true };
  }

  @UserRoute()
  @HttpCode(200)
  @Post('disable')
  async disable(@CurrentUser() user: AuthUser, @Body() dto: TotpCodeDto) {
    await this.totp.disable(await this.users.get(user.userId), dto.code);
    return { totpEnabled: false };
  }
}
