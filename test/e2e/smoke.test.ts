import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

describe('the sample mesh', () => {
  let mesh: TestMesh;
  beforeAll(async () => {
    mesh = await startTestMesh();
  });
  afterAll(() => mesh?.close());

  it('answers a federated query across three domains', async () => {
    const r = await mesh.query<{ payments: { order: { customer: { customerId: string } } }[] }>('{ payments(limit: 3) { paymentId order { orderId customer { customerId } } } }');
    expect(r.errors).toBeUndefined();
    expect(r.data?.payments).toHaveLength(3);
    for (const p of r.data!.payments) expect(p.order.customer.customerId).toMatch(/^C\d+$/);
  });
});
