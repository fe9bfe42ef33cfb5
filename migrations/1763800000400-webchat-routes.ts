import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Web chat routes. The public web chat endpoints know only a channel id and no tenant, and
 * `channels` is behind row-level security, so a web chat channel is also listed in the
 * platform routing index (keyed by its own id) with the origins allowed to embed it. The
 * row exists exactly while the channel is connected, as for WhatsApp and Instagram.
 */
export class WebchatRoutes1763800000400 implements MigrationInterface {
  name = 'WebchatRoutes1763800000400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE channel_routes DROP CONSTRAINT channel_routes_provider_check;
      ALTER TABLE channel_routes
        ADD CONSTRAINT channel_routes_provider_check CHECK (provider IN ('whatsapp', 'instagram', 'webchat')),
        ADD COLUMN allowed_origins text[],
        -- Origins belong to web chat routes only, and a web chat route is keyed by its channel id.
        ADD CONSTRAINT channel_routes_webchat_check CHECK (
          (provider = 'webchat') = (allowed_origins IS NOT NULL)
          AND (provider <> 'webchat' OR external_id = channel_id::text)
        ),
        ADD CONSTRAINT channel_routes_origins_check CHECK (cardinality(allowed_origins) <= 20);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DELETE FROM channel_routes WHERE provider = 'webchat';
      ALTER TABLE channel_routes
        DROP CONSTRAINT channel_routes_origins_check,
        DROP CONSTRAINT channel_routes_webchat_check,
        DROP COLUMN allowed_origins,
        DROP CONSTRAINT channel_routes_provider_check,
        ADD CONSTRAINT channel_routes_provider_check CHECK (provider IN ('whatsapp', 'instagram'));
    `);
  }
}
