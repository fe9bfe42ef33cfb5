import { Injectable } from '@nestjs/common';
import { PasswordHasher } from '../../auth/password-hasher.js';
import { UsersService } from '../../auth/users.service.js';

/** Re-checks a signed-in user's password before something that cannot be taken back lightly. */
@Injectable()
export class OwnerPassword {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
  ) {}

  async matches(userId: string, password: string): Promise<boolean> {
    const user = await this.users.get(userId);
    return this.hasher.verify(user.passwordHash, password);
  }
}
