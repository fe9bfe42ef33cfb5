import type { Role } from '../../common/auth/roles.js';
import type { Tenant } from './entities/tenant.entity.js';

export interface TenantView {
  id: string;
  name: string;
  description: string | null;
  currency: string;
  timezone: string;
  locale: string;
  status: Tenant['status'];
  /** Set while the business waits for deletion: when it was asked for and when it happens. */
  deletion: { requestedAt: string; scheduledFor: string } | null;
  createdAt: string;
}

export function toTenantView(tenant: Tenant): TenantView {
  return {
    id: tenant.id,
    name: tenant.name,
    description: tenant.description,
    currency: tenant.currency.trim(),
    timezone: tenant.timezone,
    locale: tenant.locale,
    status: tenant.status,
    deletion:
      tenant.deletionRequestedAt && tenant.deletionDueAt
        ? { requestedAt: tenant.deletionRequestedAt.toISOString(), scheduledFor: tenant.deletionDueAt.toISOString() }
        : null,
    createdAt: tenant.createdAt.toISOString(),
  };
}

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}
