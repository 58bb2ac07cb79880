import { describe, expect, it } from 'vitest';
import { deriveModelNames, type NamingInput } from '../../../src/models/import/naming.js';

const names = (inputs: Array<Partial<NamingInput> & { rel: string }>) =>
  deriveModelNames(inputs.map((i) => ({ display: `in/${i.rel}`, ...i })));

describe('deriveModelNames', () => {
  it('takes the last segment of the $id path, without .json / .schema.json, versions or dates, in kebab-case', () => {
    expect(
      names([
        { id: 'https://example.com/schemas/customer.schema.json', rel: 'x1.json' },
        { id: 'https://example.com/schemas/orderLine/v2', rel: 'x2.json' },
        { id: 'https://example.com/address/1.0.0#', rel: 'x3.json' },
        { id: 'https://spec.openapis.org/oas/3.1/schema-base/2021-04-15', rel: 'x4.json' },
        { id: 'urn:example:PaymentMethod', rel: 'x5.json' },
        { id: 'https://example.com/Caf%C3%A9%20Cr%C3%A8me.json', rel: 'x6.json' },
      ]),
    ).toEqual({ names: ['customer', 'order-line', 'address', 'schema-base', 'payment-method', 'cafe-creme'], collisions: [] });
  });

  it('falls back to the path when there is no $id, or the $id gives no usable segment', () => {
    expect(
      names([
        { rel: 'common/apiDeclaration.json' },
        { id: 'https://example.com/', rel: 'oauth2GrantType.schema.json' },
        { id: '#root', rel: 'HTTPServer.json' },
      ]),
    ).toEqual({ names: ['api-declaration', 'oauth2-grant-type', 'http-server'], collisions: [] });
  });

  it('tells files of one name apart by adding leading segments to each of them, deterministically', () => {
    expect(names([{ rel: 'a/item.json' }, { rel: 'b/item.json' }, { rel: 'item.json' }, { rel: 'c/d/item.json' }]).names).toEqual([
      'a-item',
      'b-item',
      'item',
      'd-item',
    ]);
    // A segment that is a version or starts with a digit is not a name on its own.
    expect(names([{ rel: 'shop/2/order.json' }, { rel: 'shop/3/order.json' }, { rel: '9lives.json' }]).names).toEqual(['shop-order', 'shop-order', '']);
  });

  it('reports files no segment tells apart, and files no name can be made of', () => {
    const r = names([{ rel: 'shop/2/order.json' }, { rel: 'shop/3/order.json' }, { rel: '9lives.json' }, { rel: 'v1.json' }]);
    expect(r.collisions).toEqual([
      { name: 'shop-order', files: ['in/shop/2/order.json', 'in/shop/3/order.json'] },
      { name: '', files: ['in/9lives.json', 'in/v1.json'] },
    ]);
  });
});
