/**
 * A real PostgreSQL cluster for one test file: `initdb` into a temporary folder, `pg_ctl start` on
 * a free loopback port with logical decoding on (wal_level=logical), password (SCRAM) login for
 * every TCP connection, and `stop()` that ends the server and removes the folder. PostgreSQL
 * refuses to run as root, so as root the cluster runs as the `postgres` user Debian's package
 * creates (or one made here); the binaries come from Debian's `postgresql` package.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const INSTALL = 'PostgreSQL is not installed on this machine: run "apt-get install -y postgresql" (Debian\'s package; .ci/run installs it)';
const SUPERUSER = 'meshgate_admin';

/** A running test cluster. */
export interface PgCluster {
  readonly host: string;
  readonly port: number;
  /** A connection URL for `user` (the superuser by default) to `database` (postgres by default). */
  url(options?: { user?: string; password?: string; database?: string }): string;
  /** Runs one statement as the superuser and returns its rows. */
  sql<T extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<T[]>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/** The newest PostgreSQL's bin folder under /usr/lib/postgresql, or undefined. */
function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? undefined : path.join(root, newest, 'bin');
}

/** A failure reported as the one line that says what to do (no stack under it). */
function oneLine(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/** A free loopback port (the kernel's pick). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The user the server runs as: ourselves, or (as root) `postgres`, created when missing. */
async function serverUser(): Promise<{ name: string; uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const name = 'postgres';
  const id = async (flag: string): Promise<number> => Number((await run('id', [flag, name])).stdout.trim());
  try {
    return { name, uid: await id('-u'), gid: await id('-g') };
  } catch {
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
    return { name, uid: await id('-u'), gid: await id('-g') };
  }
}

/** Starts a cluster; throws one line naming the install command when PostgreSQL is missing. */
export async function startPostgres(): Promise<PgCluster> {
  const bin = binDir();
  if (!bin) throw oneLine(INSTALL);
  const user = await serverUser();
  const as = (cmd: string, args: string[]) => (user ? run('runuser', ['-u', user.name, '--', path.join(bin, cmd), ...args]) : run(path.join(bin, cmd), args));
  const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-pg-'));
  const data = path.join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const pwfile = path.join(dir, 'pwfile');
  await writeFile(pwfile, `${password}\n`);
  if (user) {
    await chown(dir, user.uid, user.gid);
    await chown(pwfile, user.uid, user.gid);
  }
  await chmod(pwfile, 0o600);
  await as('initdb', ['-D', data, '-U', SUPERUSER, '--pwfile', pwfile, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const port = await freePort();
  const settings = [
    `port=${port}`,
    "listen_addresses='127.0.0.1'",
    `unix_socket_directories='${dir}'`,
    'wal_level=logical',
    'max_replication_slots=10',
    'max_wal_senders=10',
    'fsync=off',
    'full_page_writes=off',
    'shared_buffers=32MB',
  ];
  // Appended as root to the server's own file: it keeps its owner, and no shell quoting is involved.
  await appendFile(path.join(data, 'postgresql.conf'), `\n# meshgate test cluster\n${settings.join('\n')}\n`);
  await as('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const host = '127.0.0.1';
  const url = (o: { user?: string; password?: string; database?: string } = {}): string =>
    `postgres://${encodeURIComponent(o.user ?? SUPERUSER)}:${encodeURIComponent(o.password ?? password)}@${host}:${port}/${encodeURIComponent(o.database ?? 'postgres')}`;
  return {
    host,
    port,
    url,
    async sql<T extends Record<string, unknown>>(text: string, values: readonly unknown[] = []): Promise<T[]> {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        return (await client.query<T>(text, values as unknown[])).rows;
      } finally {
        await client.end();
      }
    },
    async stop(): Promise<void> {
      await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
