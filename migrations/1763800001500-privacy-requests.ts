import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Export and erasure requests, their progress and archives, and erased identities.
 *
 * Erasure keeps the records a business must keep (orders, invoices, payments) with the
 * customer pseudonymised. Invoices and payment events are otherwise write-once, so the
 * application gets exactly the column grants pseudonymisation needs, and a trigger on
 * each refuses any other rewrite of those columns: the grant cannot be used to change
 * what an invoice says, only to erase who it was for. The markers below are the ones in
 * src/modules/privacy/requests/privacy-tables.ts.
 */
export class PrivacyRequests1763800001500 implements MigrationInterface {
  name = 'PrivacyRequests1763800001500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE privacy_requests (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        type           text NOT NULL CHECK (type IN ('export', 'erasure')),
        -- One contact, or (exports only) the whole business.
        subject        text NOT NULL CHECK (subject IN ('contact', 'tenant')),
        contact_id     uuid,
        source         text NOT NULL CHECK (source IN ('staff', 'meta_data_deletion')),
        requested_by   uuid REFERENCES users (id) ON DELETE SET NULL,
        status         text NOT NULL DEFAULT 'queued'
                         CHECK (status IN ('queued', 'running', 'done', 'failed', 'expired')),
        progress       smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        -- Runs started; past a few the request fails instead of being swept again forever.
        attempts       integer NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 100),
        -- The run that holds a running request, and when it last showed it was alive: a
        -- run that stops reporting is presumed dead and its request is started again.
        run_id         uuid,
        heartbeat_at   timestamptz,
        -- An error code, never a message that could carry personal data.
        error          text CHECK (error ~ '^[a-z_]{1,64}$'),
        -- Counts (rows per table, files, bytes), never personal data.
        result         jsonb NOT NULL DEFAULT '{}'::jsonb
                         CHECK (jsonb_typeof(result) = 'object' AND octet_length(result::text) <= 8192),
        archive_bytes  bigint CHECK (archive_bytes >= 0),
        created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        started_at     timestamptz,
        finished_at    timestamptz,
        -- When a finished export's archive and its links expire.
        expires_at     timestamptz,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, id),
        -- SET NULL, not CASCADE: the record of a request outlives a contact removed later.
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE SET NULL (contact_id),
        CHECK (type = 'export' OR subject = 'contact'),
        CHECK (subject = 'contact' OR contact_id IS NULL),
        CHECK ((status = 'running') = (run_id IS NOT NULL)),
        CHECK (status NOT IN ('done', 'failed', 'expired') OR finished_at IS NOT NULL),
        CHECK (status <> 'expired' OR type = 'export'),
        CHECK (expires_at IS NULL OR type = 'export')
      );
      CREATE INDEX privacy_requests_tenant_recent_idx ON privacy_requests (tenant_id, created_at DESC, id DESC);
      CREATE INDEX privacy_requests_contact_idx ON privacy_requests (tenant_id, contact_id) WHERE contact_id IS NOT NULL;
      -- One open request per kind and subject: asking again while one runs returns it.
      CREATE UNIQUE INDEX privacy_requests_open_key ON privacy_requests (tenant_id, type, subject, contact_id)
        NULLS NOT DISTINCT WHERE status IN ('queued', 'running');
      -- The sweeper's look-outs, across tenants (like the pipeline's, they lead with time).
      CREATE INDEX privacy_requests_unfinished_idx ON privacy_requests (updated_at)
        WHERE status IN ('queued', 'running');
      CREATE INDEX privacy_requests_expiry_idx ON privacy_requests (expires_at) WHERE status = 'done';
      CREATE TRIGGER privacy_requests_touch BEFORE UPDATE ON privacy_requests
        FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      -- A customer whose data was erased, remembered only as a keyed hash of their channel
      -- identity (HMAC, key derived from the server's secret), so the platform can tell
      -- that an identity was erased without keeping it.
      CREATE TABLE erased_identities (
        tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        channel_id     uuid NOT NULL,
        identity_hash  text NOT NULL CHECK (identity_hash ~ '^[0-9a-f]{64}$'),
        request_id     uuid,
        erased_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, channel_id, identity_hash),
        FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, request_id) REFERENCES privacy_requests (tenant_id, id) ON DELETE SET NULL (request_id)
      );

      ALTER TABLE privacy_requests ENABLE ROW LEVEL SECURITY;
      ALTER TABLE privacy_requests FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON privacy_requests
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE erased_identities ENABLE ROW LEVEL SECURITY;
      ALTER TABLE erased_identities FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON erased_identities
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

      -- A request is a record: what was asked, by whom, about whom never changes; only
      -- its progress and outcome do. Erased identities are append-only.
      GRANT SELECT, INSERT ON privacy_requests TO hawker_app;
      GRANT UPDATE (status, progress, attempts, run_id, heartbeat_at, error, result, archive_bytes,
                    started_at, finished_at, expires_at) ON privacy_requests TO hawker_app;
      GRANT SELECT, INSERT ON erased_identities TO hawker_app;

      -- The sweeper finds requests no job is working on (Redis was away, a worker died) and
      -- finished exports whose archive has expired, and may see only their ids and state.
      GRANT SELECT (id, tenant_id, type, status, updated_at, heartbeat_at, expires_at)
        ON privacy_requests TO hawker_sweeper;
      CREATE POLICY sweeper_unfinished ON privacy_requests FOR SELECT TO hawker_sweeper
        USING (status IN ('queued', 'running') OR (status = 'done' AND expires_at < now()));

      -- Erasure pseudonymises an invoice's customer snapshot: the only UPDATE of it the
      -- application may make (invoices are otherwise write-once, status aside).
      ALTER TABLE invoices DROP CONSTRAINT invoices_customer_phone_check,
        ADD CONSTRAINT invoices_customer_phone_check
          CHECK (customer_phone ~ '^\\+[1-9][0-9]{6,14}$' OR customer_phone = '[erased]');
      GRANT UPDATE (customer_name, customer_phone, customer_address) ON invoices TO hawker_app;
      CREATE FUNCTION invoices_customer_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT (NEW.customer_name ~ '^Erased customer [0-9a-f]{8}$'
                AND NEW.customer_phone = '[erased]'
                AND NEW.customer_address IS NOT DISTINCT FROM
                    CASE WHEN OLD.customer_address IS NULL THEN NULL ELSE '[erased]' END) THEN
          RAISE EXCEPTION 'an invoice''s customer may only be pseudonymised' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER invoices_customer_erasure_only
        BEFORE UPDATE OF customer_name, customer_phone, customer_address ON invoices
        FOR EACH ROW WHEN ((NEW.customer_name, NEW.customer_phone, NEW.customer_address)
                           IS DISTINCT FROM (OLD.customer_name, OLD.customer_phone, OLD.customer_address))
        EXECUTE FUNCTION invoices_customer_erasure_only();

      -- A payment event is the provider's word and is kept, but Paystack's copy of the
      -- payer (name, phone, card holder, IP address) is personal data: erasure may remove
      -- exactly those fields, and nothing else of a payload may ever change.
      CREATE FUNCTION privacy_scrubbed_payment_payload(payload jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT payload
            #- '{data,customer,first_name}' #- '{data,customer,last_name}' #- '{data,customer,phone}'
            #- '{data,customer,metadata}' #- '{data,authorization,account_name}'
            #- '{data,authorization,sender_name}' #- '{data,authorization,sender_bank_account_number}'
            #- '{data,ip_address}'
        $$;
      GRANT UPDATE (payload) ON payment_events TO hawker_app;
      CREATE FUNCTION payment_events_payload_scrub_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.payload IS DISTINCT FROM privacy_scrubbed_payment_payload(OLD.payload) THEN
          RAISE EXCEPTION 'a payment event''s payload may only be scrubbed of personal data'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER payment_events_payload_scrub_only BEFORE UPDATE OF payload ON payment_events
        FOR EACH ROW WHEN (NEW.payload IS DISTINCT FROM OLD.payload)
        EXECUTE FUNCTION payment_events_payload_scrub_only();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER payment_events_payload_scrub_only ON payment_events;
      DROP FUNCTION payment_events_payload_scrub_only();
      REVOKE UPDATE (payload) ON payment_events FROM hawker_app;
      DROP FUNCTION privacy_scrubbed_payment_payload(jsonb);
      DROP TRIGGER invoices_customer_erasure_only ON invoices;
      DROP FUNCTION invoices_customer_erasure_only();
      REVOKE UPDATE (customer_name, customer_phone, customer_address) ON invoices FROM hawker_app;
      ALTER TABLE invoices DROP CONSTRAINT invoices_customer_phone_check,
        ADD CONSTRAINT invoices_customer_phone_check CHECK (customer_phone ~ '^\\+[1-9][0-9]{6,14}$');
      DROP TABLE erased_identities, privacy_requests;
    `);
  }
}
