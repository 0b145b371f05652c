import net from 'node:net';
import { startTestMesh } from '../support/startTestMesh.js';

/** The host a `Socket.prototype.connect` call aims at, whatever form its arguments take. */
function hostOf(args: readonly unknown[]): string | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const o = first as { host?: unknown; hostname?: unknown; path?: unknown };
    if (typeof o.path === 'string' && o.host === undefined) return undefined; // a Unix socket
    return String(o.hostname ?? o.host ?? 'localhost');
  }
  return typeof first === 'number' ? String(args[1] ?? 'localhost') : undefined;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;

// Without APOLLO_TELEMETRY_DISABLED, @apollo/gateway 2.14's constructor probes cloud metadata
// endpoints (169.254.169.254, 100.100.100.200, metadata.google.internal) and exports metrics to
// Apollo: seen here once with this very spy. meshgate must talk to nothing but itself.
describe('the mesh and the network', () => {
  it('opens no connection off the machine: no telemetry, no metadata probes, no CDN', async () => {
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    const hosts: string[] = [];
    const connect = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const host = hostOf(args);
      if (host !== undefined) hosts.push(host);
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof connect;
    try {
      const mesh = await startTestMesh();
      try {
        expect((await mesh.query('{ orders(limit: 2) { orderId customer { fullName } payments { amount } } }')).errors).toBeUndefined();
        await new Promise((resolve) => setTimeout(resolve, 1500));
      } finally {
        await mesh.close();
      }
    } finally {
      net.Socket.prototype.connect = connect;
    }
    expect(hosts.length).toBeGreaterThan(0);
    expect(hosts.filter((h) => !LOOPBACK.test(h))).toEqual([]);
  });
});
