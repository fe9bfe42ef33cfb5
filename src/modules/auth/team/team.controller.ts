import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  Ctx,
  MaybeUser,
  OptionalUser,
  Origin,
  type RequestOrigin,
  TenantRoute,
} from '../../../common/auth/route-access.js';
import type { AuthUser, TenantContext } from '../../../common/auth/roles.js';
import { ChangeRoleDto } from '../../tenants/dto/member.dto.js';
import { AcceptInvitationDto, InviteDto } from '../dto/auth.dto.js';
import { InvitationsService } from './invitations.service.js';
import { MembersService } from './members.service.js';

@ApiTags('members')
@Controller('v1')
export class TeamController {
  constructor(
    private readonly members: MembersService,
    private readonly invitations: InvitationsService,
  ) {}

  @TenantRoute()
  @Get('tenants/:tenantId/members')
  list(@Ctx() ctx: TenantContext) {
    return this.members.list(ctx);
  }

  @TenantRoute('owner', 'admin')
  @Patch('tenants/:tenantId/members/:userId')
  changeRole(
    @Ctx() ctx: TenantContext,
    @Param('userId') userId: string,
    @Body() dto: ChangeRoleDto,
    @Origin() origin: RequestOrigin,
  ) {
    return this.members.changeRole(ctx, userId, dto.role, origin);
  }

  @TenantRoute('owner', 'admin')
  @HttpCode(204)
  @Delete('tenants/:tenantId/members/:userId')
  async remove(
    @Ctx() ctx: TenantContext,
    @Param('userId') userId: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.members.remove(ctx, userId, origin);
  }

  @TenantRoute('owner', 'admin')
  @Post('tenants/:tenantId/invitations')
  invite(@Ctx() ctx: TenantContext, @Body() dto: InviteDto, @Origin() origin: RequestOrigin) {
    return this.invitations.invite(ctx, dto, origin);
  }

  @OptionalUser()
  @HttpCode(200)
  @Post('invitations/accept')
  accept(@Body() dto: AcceptInvitationDto, @MaybeUser() user: AuthUser | undefined, @Origin() origin: RequestOrigin) {
    return this.invitations.accept(dto, user, origin);
  }
}
