import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { AuthErrors } from './auth.errors.js';
import { User } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.js';

export interface UserView {
  id: string;
  email: string;
  name: string;
  totpEnabled: boolean;
  createdAt: string;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    totpEnabled: user.totpEnabledAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  /** Creates an account inside the caller's transaction; 409 when the e-mail is taken. */
  async create(
    tx: EntityManager,
    input: { email: string; name: string; password: string },
    options: { platformAdmin?: boolean } = {},
  ): Promise<User> {
    const reserved = this.config.platformAdminEmails.includes(input.email.toLowerCase());
    if (reserved !== (options.platformAdmin ?? false)) {
      if (reserved) throw AuthErrors.emailReserved();
      throw new Error('A platform admin account needs an address listed in PLATFORM_ADMIN_EMAILS');
    }
    const passwordHash = await this.hasher.hash(input.password);
    const inserted = await tx
      .createQueryBuilder()
      .insert()
      .into(User)
      .values({ email: input.email, name: input.name, passwordHash })
      .orIgnore()
      .returning('*')
      .execute();
    const [row] = inserted.raw as Record<string, unknown>[];
    if (!row) throw AuthErrors.emailTaken();
    return tx.getRepository(User).findOneByOrFail({ id: row.id as string });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ email: email.toLowerCase() });
  }

  async get(userId: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id: userId });
    if (!user) throw AuthErrors.invalidRefreshToken();
    return user;
  }

  findMany(ids: string[]): Promise<User[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(User).createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).getMany();
  }
}
