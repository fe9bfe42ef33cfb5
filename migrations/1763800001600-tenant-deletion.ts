import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduled deletion of a business, and Meta's deauthorize and data-deletion callbacks.
 *
 * A business its owner deletes waits in `pending_deletion` for a grace period, then the
 * maintenance schedule calls `purge_tenant`, which removes its rows from every table with a
 * `tenant_id` column and then the business itself. The tenant-deletion test proves that no
 * such table keeps a row of it.
 */
export class TenantDeletion1763800001600 implements MigrationInterface {
  name = 'TenantDeletion1763800001600';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE tenants DROP CONSTRAINT tenants_status_check;
      ALTER TABLE tenants
        ADD CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended', 'pending_deletion')),
        ADD COLUMN deletion_requested_at timestamptz,
        ADD COLUMN deletion_requested_by uuid REFERENCES users (id) ON DELETE SET NULL,
        -- When the business and all its data are removed for good; restorable until then.
        ADD COLUMN deletion_due_at timestamptz,
        ADD CONSTRAINT tenants_deletion_check CHECK (
          (status = 'pending_deletion') = (deletion_due_at IS NOT NULL)
          AND (deletion_due_at IS NULL) = (deletion_requested_at IS NULL)
          AND (deletion_due_at IS NULL OR deletion_due_at >= deletion_requested_at));
      -- What the purge looks for: small, since only businesses being deleted are in it.
      CREATE INDEX tenants_deletion_due_idx ON tenants (deletion_due_at) WHERE deletion_due_at IS NOT NULL;

      -- Meta's data-deletion callbacks, for the public status page Meta links to. A platform
      -- table: the page knows only the confirmation code. Meta's user id is kept only as an
      -- HMAC (keyed with a server secret), enough to tie repeated requests together and
      -- useless for finding the person.
      CREATE TABLE meta_deletion_requests (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        confirmation_code  text NOT NULL UNIQUE CHECK (confirmation_code ~ '^[A-Za-z0-9]{16,64}$'),
        user_hash          text NOT NULL CHECK (user_hash ~ '^[0-9a-f]{64}$'),
        -- Contacts found with that channel identity across every business.
        contacts_found     integer NOT NULL DEFAULT 0 CHECK (contacts_found >= 0),
        created_at         timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX meta_deletion_requests_user_idx ON meta_deletion_requests (user_hash, created_at DESC);

      -- The erasure each request scheduled, per business. Goes with the business when it is
      -- deleted (its data is gone, so the erasure is moot). A tenant table: written in that
      -- business's transaction; the public status page, which knows only the request, may
      -- read the rows of the one request pinned in app.meta_request_id.
      CREATE TABLE meta_deletion_erasures (
        request_id          uuid NOT NULL REFERENCES meta_deletion_requests (id) ON DELETE CASCADE,
        tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        privacy_request_id  uuid NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, request_id, privacy_request_id),
        FOREIGN KEY (tenant_id, privacy_request_id) REFERENCES privacy_requests (tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX meta_deletion_erasures_request_idx ON meta_deletion_erasures (request_id);
      ALTER TABLE meta_deletion_erasures ENABLE ROW LEVEL SECURITY;
      ALTER TABLE meta_deletion_erasures FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON meta_deletion_erasures
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      CREATE POLICY status_page ON meta_deletion_erasures FOR SELECT
        USING (request_id = nullif(current_setting('app.meta_request_id', true), '')::uuid);

      -- Records of what Meta asked for and what was done: the application adds and reads them.
      GRANT SELECT, INSERT ON meta_deletion_requests, meta_deletion_erasures TO hawker_app;

      -- Removes a business whose grace period has passed, with every row it owns. Cascades
      -- alone cannot do it: business records hold NO ACTION keys (an order item to its
      -- product, an invoice to its order) that a cascade reaching the parent first refuses.
      -- So every table with a tenant_id column, found in the catalog (a table added later is
      -- covered without a change here), is emptied of the business's rows children first:
      -- a table goes once no table still to be emptied references it, so no delete has
      -- anything left to cascade into or be refused by. SECURITY DEFINER, as the tables'
      -- owner, because the application may delete from no append-only table (invoices, the
      -- audit log); it refuses any business that is not due, and only hawker_app may call it.
      CREATE FUNCTION purge_tenant(p_tenant uuid) RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
        AS $$
        DECLARE
          remaining oid[];
          ready oid[];
          rel oid;
        BEGIN
          PERFORM 1 FROM tenants
            WHERE id = p_tenant AND status = 'pending_deletion' AND deletion_due_at <= now() FOR UPDATE;
          IF NOT FOUND THEN RETURN false; END IF;
          -- Row-level security binds the owner too (FORCE): the policies must see this business.
          PERFORM set_config('app.tenant_id', p_tenant::text, true);
          remaining := ARRAY(
            SELECT c.oid FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
             WHERE c.relkind IN ('r', 'p'));
          WHILE cardinality(remaining) > 0 LOOP
            ready := ARRAY(
              SELECT t FROM unnest(remaining) AS t
               WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k
                                  WHERE k.contype = 'f' AND k.confrelid = t AND k.conrelid <> t
                                    AND k.conrelid = ANY (remaining)));
            -- Only a cycle of foreign keys leaves nothing ready: the cascades must then sort it out.
            IF cardinality(ready) = 0 THEN ready := remaining; END IF;
            FOREACH rel IN ARRAY ready LOOP
              EXECUTE format('DELETE FROM %s WHERE tenant_id = $1', rel::regclass) USING p_tenant;
            END LOOP;
            remaining := ARRAY(SELECT unnest(remaining) EXCEPT SELECT unnest(ready));
          END LOOP;
          DELETE FROM tenants WHERE id = p_tenant;
          RETURN true;
        END $$;
      REVOKE ALL ON FUNCTION purge_tenant(uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION purge_tenant(uuid) TO hawker_app;

      -- purge_tenant trusts deletion_due_at, and the application may update tenants: so the
      -- application may only schedule a deletion from now, at least a day ahead, leave the
      -- schedule alone while it runs, and restore before it is due. Without this, one bad
      -- statement as hawker_app could backdate any business's deletion and purge it, append-
      -- only records and all. (The owner, in operations or tests, is not bound.)
      CREATE FUNCTION guard_tenant_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_user <> 'hawker_app' THEN RETURN NEW; END IF;
        IF NEW.status = 'pending_deletion' AND OLD.status <> 'pending_deletion' THEN
          IF NEW.deletion_requested_at <> now() OR NEW.deletion_due_at < now() + interval '1 day' THEN
            RAISE EXCEPTION 'a deletion is scheduled from now, at least a day ahead' USING ERRCODE = 'check_violation';
          END IF;
        ELSIF OLD.status = 'pending_deletion' AND NEW.status = 'pending_deletion' THEN
          IF (NEW.deletion_requested_at, NEW.deletion_due_at) IS DISTINCT FROM (OLD.deletion_requested_at, OLD.deletion_due_at) THEN
            RAISE EXCEPTION 'a scheduled deletion cannot be moved' USING ERRCODE = 'check_violation';
          END IF;
        ELSIF OLD.status = 'pending_deletion' AND OLD.deletion_due_at <= now() THEN
          RAISE EXCEPTION 'a deletion that is due cannot be undone' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER tenants_guard_deletion BEFORE UPDATE ON tenants
        FOR EACH ROW EXECUTE FUNCTION guard_tenant_deletion();

      -- Finding a person's contacts in every business for Meta's data-deletion callback. This
      -- role sees only the contacts whose channel identity is the one set in
      -- app.lookup_external_ref for the transaction, only their ids, and changes nothing.
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hawker_identity_lookup') THEN
          CREATE ROLE hawker_identity_lookup NOLOGIN NOSUPERUSER NOBYPASSRLS;
        END IF;
      END $$;
      GRANT hawker_identity_lookup TO current_user;
      GRANT USAGE ON SCHEMA public TO hawker_identity_lookup;
      GRANT SELECT (id, tenant_id, channel_id, external_ref) ON contacts TO hawker_identity_lookup;
      CREATE POLICY identity_lookup ON contacts FOR SELECT TO hawker_identity_lookup
        USING (external_ref = nullif(current_setting('app.lookup_external_ref', true), ''));
      -- Which contacts are Instagram's: the callbacks' ids are Meta-scoped, never phone numbers.
      GRANT SELECT (id, tenant_id, type) ON channels TO hawker_identity_lookup;
      CREATE POLICY identity_lookup ON channels FOR SELECT TO hawker_identity_lookup USING (type = 'instagram');
      -- Across tenants by design, so it does not lead with tenant_id.
      CREATE INDEX contacts_external_ref_idx ON contacts (external_ref);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER tenants_guard_deletion ON tenants;
      DROP FUNCTION guard_tenant_deletion();
      DROP FUNCTION purge_tenant(uuid);
      DROP INDEX contacts_external_ref_idx;
      DROP POLICY identity_lookup ON contacts;
      DROP POLICY identity_lookup ON channels;
      REVOKE SELECT (id, tenant_id, type) ON channels FROM hawker_identity_lookup;
      REVOKE SELECT (id, tenant_id, channel_id, external_ref) ON contacts FROM hawker_identity_lookup;
      REVOKE USAGE ON SCHEMA public FROM hawker_identity_lookup;
      DROP TABLE meta_deletion_erasures, meta_deletion_requests;
      DROP INDEX tenants_deletion_due_idx;
      UPDATE tenants SET status = 'active', deletion_requested_at = NULL, deletion_due_at = NULL
        WHERE status = 'pending_deletion';
      ALTER TABLE tenants
        DROP CONSTRAINT tenants_deletion_check,
        DROP COLUMN deletion_due_at,
        DROP COLUMN deletion_requested_by,
        DROP COLUMN deletion_requested_at,
        DROP CONSTRAINT tenants_status_check,
        ADD CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended'));
    `);
  }
}
