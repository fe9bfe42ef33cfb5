import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config.js';
import { AuditModule } from '../audit/audit.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { Invitation } from './entities/invitation.entity.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { User } from './entities/user.entity.js';
import { LoginAttemptsService } from './login-attempts.service.js';
import { PasswordHasher } from './password-hasher.js';
import { InvitationsService } from './team/invitations.service.js';
import { MembersService } from './team/members.service.js';
import { TeamController } from './team/team.controller.js';
import { TokenService } from './token.service.js';
import { TotpController } from './totp.controller.js';
import { TotpService } from './totp.service.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, RefreshToken, Invitation]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.jwtSecret,
        signOptions: { algorithm: 'HS256', issuer: 'hawker' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'hawker' },
      }),
    }),
    TenantsModule,
    AuditModule,
  ],
  controllers: [AuthController, TotpController, TeamController],
  providers: [
    AuthService,
    UsersService,
    PasswordHasher,
    TokenService,
    LoginAttemptsService,
    TotpService,
    InvitationsService,
    MembersService,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [UsersService, TokenService, PasswordHasher],
})
export class AuthModule {}
