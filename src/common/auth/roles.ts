export const ROLES = ['owner', 'admin', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting, in which tenant. Built by the access guard, passed explicitly as `ctx`. */
export interface TenantContext {
  tenantId: string;
  userId: string;
  role: Role;
}

/** An authenticated caller, before any tenant is involved. */
export interface AuthUser {
  userId: string;
  email: string;
}
