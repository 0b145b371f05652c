/** The process's logger: JSON lines or readable ones, levels from the fields, and secrets in fields redacted. */
import { Writable } from 'node:stream';
import { createLogger, logTo, type LoggerOptions } from '../../cli/logger.js';
import { GatewayMetrics } from '../../gateway/index.js';

function capture(options: Omit<LoggerOptions, 'destination'>): { log: ReturnType<typeof logTo>; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { log: logTo(createLogger({ ...options, destination })), lines };
}

describe('the logger', () => {
  it('writes JSON lines with the time, the level name and the fields', () => {
    const { log, lines } = capture({ level: 'info', format: 'json', instance: 'gw-1' });
    log('graphql 200', { requestId: 'r-1', operationName: 'Orders', status: 200 });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', msg: 'graphql 200', requestId: 'r-1', operationName: 'Orders', status: 200, instance: 'gw-1' });
    expect(new Date(line.time as string).getTime()).toBeGreaterThan(0);
  });

  it('logs at the level the fields name, a line saying WARNING at warn, and drops what is below the configured level', () => {
    const { log, lines } = capture({ level: 'warn', format: 'json' });
    log('chatter');
    log('WARNING: access control is OFF');
    log('subgraph failed', { level: 'error' });
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['warn', 'error']);
  });

  it('redacts tokens, headers and variables if a field ever carried them', () => {
    const { log, lines } = capture({ level: 'info', format: 'json' });
    log('careless', {
      authorization: 'Bearer eyJhbGciOi.x.y',
      headers: { authorization: 'Bearer abc', cookie: 'c' },
      variables: { email: 'ana@example.com' },
      nested: { token: 't0k3n' },
    });
    expect(lines[0]).not.toMatch(/eyJhbGciOi|abc|ana@example\.com|t0k3n/);
    expect(lines[0]).toContain('[redacted]');
  });

  it('writes readable lines when asked for pretty', () => {
    const { log, lines } = capture({ level: 'info', format: 'pretty' });
    log('meshgate is up', { requestId: 'r-2' });
    expect(lines.join('\n')).toMatch(/INFO.*meshgate is up/);
    expect(() => JSON.parse(lines[0]!) as unknown).toThrow();
  });
});

describe('the circuit gauge', () => {
  it('is 1 while a subgraph circuit is open and 0 once it closes', async () => {
    const metrics = new GatewayMetrics();
    metrics.setCircuitOpen('commerce', true);
    expect(await metrics.render()).toMatch(/^meshgate_subgraph_circuit_open\{subgraph="commerce"\} 1$/m);
    metrics.setCircuitOpen('commerce', false);
    expect(await metrics.render()).toMatch(/^meshgate_subgraph_circuit_open\{subgraph="commerce"\} 0$/m);
  });
});
