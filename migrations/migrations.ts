import { Foundation1763800000000 } from './1763800000000-foundation.js';
import { Channels1763800000100 } from './1763800000100-channels.js';
import { Conversations1763800000200 } from './1763800000200-conversations.js';
import { Commerce1763800000300 } from './1763800000300-commerce.js';
import { WebchatRoutes1763800000400 } from './1763800000400-webchat-routes.js';
import { Webchat1763800000500 } from './1763800000500-webchat.js';
import { Ai1763800000600 } from './1763800000600-ai.js';
import { Staff1763800000700 } from './1763800000700-staff.js';
import { Orders1763800000800 } from './1763800000800-orders.js';
import { InboxAttempts1763800000900 } from './1763800000900-inbox-attempts.js';
import { Checkout1763800001000 } from './1763800001000-checkout.js';
import { Payments1763800001100 } from './1763800001100-payments.js';
import { Invoices1763800001200 } from './1763800001200-invoices.js';
import { CustomerNotifications1763800001300 } from './1763800001300-customer-notifications.js';
import { Consents1763800001400 } from './1763800001400-consents.js';
import { PrivacyRequests1763800001500 } from './1763800001500-privacy-requests.js';
import { TenantDeletion1763800001600 } from './1763800001600-tenant-deletion.js';

/** Every migration, in order. Listed explicitly: ES modules have no reliable glob loading. */
export const MIGRATIONS = [
  Foundation1763800000000,
  Channels1763800000100,
  Conversations1763800000200,
  Commerce1763800000300,
  WebchatRoutes1763800000400,
  Webchat1763800000500,
  Ai1763800000600,
  Staff1763800000700,
  Orders1763800000800,
  InboxAttempts1763800000900,
  Checkout1763800001000,
  Payments1763800001100,
  Invoices1763800001200,
  CustomerNotifications1763800001300,
  Consents1763800001400,
  PrivacyRequests1763800001500,
  TenantDeletion1763800001600,
];
