import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '../../common/auth/roles.js';

// Everyone who works the business's inbox and orders.
const MEMBER_ROLES: readonly Role[] = ['owner', 'admin', 'staff'];

/** The e-mail addresses of a business's members, for the notices sent to staff. */
@Injectable()
export class StaffRecipients {
  constructor(private readonly dataSource: DataSource) {}

  /** From the platform tables (not tenant-owned, so outside TenantDb). */
  async emails(tenantId: string, roles: readonly Role[] = MEMBER_ROLES): Promise<string[]> {
    const rows = await this.dataSource.query<{ email: string }[]>(
      `SELECT DISTINCT u.email FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = $1 AND m.role = ANY($2::text[])
        ORDER BY u.email`,
      [tenantId, roles],
    );
    return rows.map((row) => row.email);
  }
}
