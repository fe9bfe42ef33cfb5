import { TenantDb } from '../../src/database/tenant-db.js';
import { UsersService } from '../../src/modules/auth/users.service.js';
import { CartService } from '../../src/modules/commerce/cart.service.js';
import { OrdersService } from '../../src/modules/commerce/orders/orders.service.js';
import type { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { paystackTestKey, type FakePaystack } from '../fakes/fake-paystack.js';
import { asOwner } from '../support/as-owner.js';
import { addMember, signUp, type Account } from '../support/fixtures.js';
import { instagramDelivery, postWebhook } from '../support/meta-webhooks.js';
import { openShop, type Shop } from '../support/shop.js';
import type { TestApp } from '../support/test-app.js';
import { whatsappCustomer } from '../support/whatsapp-customer.js';

/**
 * The real rows the fuzz aims at. Routes that change lasting things get a business of their
 * own, so that what one route's fuzz does cannot take the ground from under another's:
 * `main` for the API, `webhooks` for Meta's and Paystack's deliveries, `callbacks` for
 * Meta's deauthorize and data-deletion (which disconnect channels and erase customers), and
 * `scratch` for deleting a business.
 */
export interface HostileScene {
  main: Shop & {
    webchatChannelId: string;
    staff: Account;
    contactId: string;
    conversationId: string;
    orderId: string;
    privacyRequestId: string;
  };
  webhooks: Shop & { paystackKey: string };
  callbacks: Shop & { instagramCustomerId: string };
  scratch: Account;
  platformAdmin: { Authorization: string };
}

const ROOT = { email: 'root@hawker.test', name: 'Root', password: 'correct horse battery' };
const DELIVERY = { name: 'Ada Obi', phone: '+2348012345678', address: '12 Marina, Lagos' };

export async function buildHostileScene(
  t: TestApp,
  graph: FakeGraphApi,
  paystack: FakePaystack,
): Promise<HostileScene> {
  return {
    main: await mainShop(t, graph),
    webhooks: await webhooksShop(t, graph, paystack),
    callbacks: await callbacksShop(t, graph),
    scratch: await signUp(t),
    platformAdmin: await platformAdmin(t),
  };
}

async function mainShop(t: TestApp, graph: FakeGraphApi): Promise<HostileScene['main']> {
  const shop = await openShop(t, graph, { whatsapp: true, instagram: true });
  const { owner } = shop;
  const webchat = await t
    .http()
    .post(`/v1/tenants/${owner.tenantId}/channels`)
    .set(owner.auth)
    .send({ type: 'webchat', name: 'Website', allowedOrigins: ['https://shop.example'] })
    .expect(201);
  const customer = whatsappCustomer(t, graph, shop);
  await customer.say('hi');
  const [buyer] = await asOwner<{ conversationId: string; contactId: string }[]>(
    t,
    `SELECT c.id AS "conversationId", k.id AS "contactId" FROM conversations c
       JOIN contacts k ON k.tenant_id = c.tenant_id AND k.id = c.contact_id
      WHERE c.tenant_id = $1 AND k.external_ref = $2`,
    [owner.tenantId, customer.number],
  );
  const scope = { tenantId: owner.tenantId };
  const order = await t.app.get(TenantDb).run(scope, async (tx) => {
    await t.app.get(CartService).add(tx, scope, buyer.conversationId, shop.products[0].id, 2);
    return t.app.get(OrdersService).createFromCart(tx, scope, { ...buyer, delivery: DELIVERY });
  });
  const request = await t
    .http()
    .post(`/v1/tenants/${owner.tenantId}/privacy-requests`)
    .set(owner.auth)
    .send({ type: 'export' })
    .expect(202);
  return {
    ...shop,
    ...buyer,
    webchatChannelId: webchat.body.id as string,
    staff: await addMember(t, owner, 'staff'),
    orderId: order.order.id,
    privacyRequestId: request.body.id as string,
  };
}

async function webhooksShop(
  t: TestApp,
  graph: FakeGraphApi,
  paystack: FakePaystack,
): Promise<HostileScene['webhooks']> {
  const shop = await openShop(t, graph, { whatsapp: true, instagram: true });
  const paystackKey = paystackTestKey();
  paystack.registerKey(paystackKey);
  await t
    .http()
    .put(`/v1/tenants/${shop.owner.tenantId}/payment-settings`)
    .set(shop.owner.auth)
    .send({ methods: ['paystack'], paystackSecretKey: paystackKey })
    .expect(200);
  return { ...shop, paystackKey };
}

/** A shop with one Instagram customer, whose scoped id a data-deletion callback can name. */
async function callbacksShop(t: TestApp, graph: FakeGraphApi): Promise<HostileScene['callbacks']> {
  const shop = await openShop(t, graph, { whatsapp: true, instagram: true });
  const instagramCustomerId = '17800000000000099';
  const accountId = shop.instagram!.accountId;
  await postWebhook(t, instagramDelivery(accountId, [{ from: instagramCustomerId, text: 'hi' }])).expect(200);
  await graph.waitFor((m) => m.to === instagramCustomerId && m.accountId === accountId, 10_000);
  return { ...shop, instagramCustomerId };
}

/** The operator's account, made as `npm run admin:create` makes it. */
async function platformAdmin(t: TestApp): Promise<{ Authorization: string }> {
  await t.dataSource.transaction((tx) => t.app.get(UsersService).create(tx, ROOT, { platformAdmin: true }));
  const login = await t.http().post('/v1/auth/login').send({ email: ROOT.email, password: ROOT.password }).expect(200);
  return { Authorization: `Bearer ${login.body.accessToken}` };
}
