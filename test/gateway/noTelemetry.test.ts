import { startTestMesh } from '../support/startTestMesh.js';

describe('the gateway and the network', () => {
  it('turns off Apollo Gateway telemetry, which would export metrics to Apollo and probe cloud metadata', async () => {
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    const mesh = await startTestMesh();
    try {
      expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
      expect((await mesh.query('{ orders(limit: 1) { orderId } }')).errors).toBeUndefined();
    } finally {
      await mesh.close();
    }
  });
});
