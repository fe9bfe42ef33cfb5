import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, tenants, memberships and the audit log, plus the two pieces every tenant
 * table after this one relies on: the `hawker_app` role the application runs as, and
 * `app_current_tenant()`, the value row-level security policies compare against.
 */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hawker_app') THEN
          CREATE ROLE hawker_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
        END IF;
      END $$;
      GRANT hawker_app TO current_user;
      GRANT USAGE ON SCHEMA public TO hawker_app;

      -- Unset (NULL or '') means "no tenant": every policy then matches no row.
      CREATE FUNCTION app_current_tenant() RETURNS uuid
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

      CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

      CREATE TABLE users (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email               text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
        name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        password_hash       text NOT NULL,
        totp_secret_sealed  text,
        totp_enabled_at     timestamptz,
        totp_last_step      bigint,
        failed_login_count  integer NOT NULL DEFAULT 0 CHECK (failed_login_count >= 0),
        locked_until        timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CHECK (totp_enabled_at IS NULL OR totp_secret_sealed IS NOT NULL)
      );
      CREATE UNIQUE INDEX users_email_key ON users (email);

      CREATE TABLE tenants (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description   text CHECK (length(description) <= 2000),
        currency      char(3) NOT NULL DEFAULT 'NGN' CHECK (currency ~ '^[A-Z]{3}$'),
        timezone      text NOT NULL DEFAULT 'Africa/Lagos' CHECK (length(timezone) BETWEEN 1 AND 64),
        locale        text NOT NULL DEFAULT 'en-NG' CHECK (length(locale) BETWEEN 2 AND 35),
        status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        suspended_at  timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'suspended') = (suspended_at IS NOT NULL))
      );
      CREATE INDEX tenants_created_idx ON tenants (created_at DESC, id DESC);

      CREATE TABLE memberships (
        tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role        text NOT NULL CHECK (role IN ('owner', 'admin', 'staff')),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, user_id)
      );
      CREATE INDEX memberships_user_idx ON memberships (user_id);

      -- Refresh tokens rotate on every use; a family is one sign-in. Presenting a token
      -- already used revokes its family (RFC 6819 §5.2.2.3).
      CREATE TABLE refresh_tokens (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id   uuid NOT NULL,
        token_hash  text NOT NULL,
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz,
        revoked_at  timestamptz,
        ip          inet,
        user_agent  text CHECK (length(user_agent) <= 512),
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
      CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

      -- Pending memberships. A platform table: accepting one is looked up by token hash
      -- before any tenant is known, and only the tenants module reaches it.
      CREATE TABLE invitations (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        email        text NOT NULL CHECK (email = lower(email)),
        role         text NOT NULL CHECK (role IN ('owner', 'admin', 'staff')),
        token_hash   text NOT NULL,
        invited_by   uuid REFERENCES users (id) ON DELETE SET NULL,
        expires_at   timestamptz NOT NULL,
        accepted_at  timestamptz,
        revoked_at   timestamptz,
        created_at   timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX invitations_token_key ON invitations (token_hash);
      CREATE INDEX invitations_tenant_idx ON invitations (tenant_id, created_at DESC);

      CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
      CREATE TRIGGER tenants_touch BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
      CREATE TRIGGER memberships_touch BEFORE UPDATE ON memberships FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      GRANT SELECT, INSERT, UPDATE, DELETE ON users, tenants, memberships, refresh_tokens, invitations TO hawker_app;

      -- Append-only: the application may add and read entries, never change or remove them.
      CREATE TABLE audit_log (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        actor_user_id  uuid,
        actor_type     text NOT NULL CHECK (actor_type IN ('user', 'system', 'customer', 'platform_admin')),
        action         text NOT NULL CHECK (action ~ '^[a-z][a-z_]*(\\.[a-z_]+)*$'),
        target_type    text,
        target_id      text,
        ip             inet,
        user_agent     text CHECK (length(user_agent) <= 512),
        details        jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at     timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_log_tenant_created_idx ON audit_log (tenant_id, created_at DESC, id DESC);
      CREATE INDEX audit_log_tenant_action_idx ON audit_log (tenant_id, action, created_at DESC, id DESC);
      ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
      ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON audit_log
        USING (tenant_id = app_current_tenant())
        WITH CHECK (tenant_id = app_current_tenant());
      GRANT SELECT, INSERT ON audit_log TO hawker_app;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE audit_log, invitations, refresh_tokens, memberships, tenants, users;
      DROP FUNCTION touch_updated_at();
      DROP FUNCTION app_current_tenant();
    `);
  }
}
