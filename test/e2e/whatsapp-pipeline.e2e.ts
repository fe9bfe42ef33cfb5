import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let graph: FakeGraphApi;
let shop: Shop;
beforeAll(async () => {
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url });
  shop = await openShop(t, graph);
});
afterAll(async () => {
  await t.close();
  await graph.close();
});

const say = (from: string, text: string) =>
  postWebhook(t, whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from, text }])).expect(200);
const repliesTo = (customer: string) => graph.sentTo(customer);
async function nextReply(customer: string, count: number) {
  const sent = await graph.waitForCount(count, (m) => m.to.replace('+', '') === customer, 10_000);
  return sent[count - 1];
}

describe('WhatsApp customers and the command bot', () => {
  it('greets, shows the menu and totals a cart, from the right number with the tenant’s token', async () => {
    const customer = customerNumber();
    await say(customer, 'hi');
    const greeting = await nextReply(customer, 1);
    expect(greeting.accountId).toBe(shop.whatsapp!.phoneNumberId);
    expect(greeting.accessToken).toBe(shop.whatsapp!.accessToken);
    expect(greeting.text).toContain('Welcome to');

    await say(customer, 'menu');
    const menu = await nextReply(customer, 2);
    expect(menu.body).toMatchObject({ type: 'interactive', interactive: { type: 'list' } });
    expect(JSON.stringify(menu.body)).toContain('Fried Plantain');

    await say(customer, 'add 2 3');
    await nextReply(customer, 3);
    await say(customer, 'cart');
    const cart = await nextReply(customer, 4);
    // 3 × ₦800.00
    expect(cart.text).toContain('₦2,400.00');
  });

  it('fills the cart from a WhatsApp catalog order, naming what it could not match', async () => {
    const customer = customerNumber();
    const [jollof, plantain] = shop.products;
    await postWebhook(
      t,
      whatsappDelivery(shop.whatsapp!.phoneNumberId, [
        {
          from: customer,
          raw: {
            type: 'order',
            order: {
              catalog_id: 'CAT-1',
              product_items: [
                { product_retailer_id: jollof.sku, quantity: 2, item_price: 9999, currency: 'NGN' },
                { product_retailer_id: plantain.sku, quantity: 1, item_price: 1, currency: 'NGN' },
                { product_retailer_id: 'NOT-A-SKU', quantity: 1, item_price: 10, currency: 'NGN' },
              ],
            },
          },
        },
      ]),
    ).expect(200);
    const reply = await nextReply(customer, 1);
    // Our prices, not the catalog message's: 2 × ₦2,500 + ₦800.
    expect(reply.text).toContain('₦5,800.00');
    expect(reply.text).toContain("isn't on our menu");
  });

  it('answers other message types politely', async () => {
    const customer = customerNumber();
    await postWebhook(
      t,
      whatsappDelivery(shop.whatsapp!.phoneNumberId, [
        { from: customer, raw: { type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg', sha256: 'x' } } },
      ]),
    ).expect(200);
    expect((await nextReply(customer, 1)).text).toContain('only read text');
  });

  it('offers a person after three messages it does not understand, and escalates on "human"', async () => {
    const customer = customerNumber();
    for (const [i, text] of ['blue elephants', 'purple skies', 'green dreams'].entries()) {
      await say(customer, text);
      await nextReply(customer, i + 1);
    }
    expect(repliesTo(customer)[2].text).toContain('talk to a person');
    await say(customer, 'human');
    expect((await nextReply(customer, 4)).text).toContain('a person from our team');
    await say(customer, 'menu');
    await new Promise((r) => setTimeout(r, 500));
    expect(repliesTo(customer)).toHaveLength(4);
  });
});
