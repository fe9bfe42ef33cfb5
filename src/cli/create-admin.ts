import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/app-config.js';
import { UsersService } from '../modules/auth/users.service.js';

// `npm run admin:create -- <email> [name]`, password in ADMIN_PASSWORD: creates a
// platform admin account. The address must be listed in PLATFORM_ADMIN_EMAILS, and such
// addresses cannot be claimed through signup or invitations: nobody verified them.
const [email, name = 'Platform admin'] = process.argv.slice(2);
const password = process.env.ADMIN_PASSWORD ?? '';
if (!email || password.length < 10) {
  process.stderr.write('usage: ADMIN_PASSWORD=<at least 10 characters> npm run admin:create -- <email> [name]\n');
  process.exit(2);
}
const config = loadConfig({ ...process.env, APP_ROLE: 'api', LOG_LEVEL: 'warn' });
const app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: ['error'] });
try {
  const user = await app
    .get(DataSource)
    .transaction((tx) =>
      app.get(UsersService).create(tx, { email: email.toLowerCase(), name, password }, { platformAdmin: true }),
    );
  process.stdout.write(`Created platform admin ${user.email} (${user.id}).\n`);
} finally {
  await app.close();
}
