/** One raw TCP connection speaking HTTP/1.1 by hand, so a test controls each byte and when it is sent (slow clients, keep-alive). */
import { connect, type Socket } from 'node:net';

/** A response read off the connection. */
export interface RawReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A connection to `url`'s host and port. */
export class RawConnection {
  private buffer = '';
  private waiters: (() => void)[] = [];
  /** When the server closed (or reset) the connection, if it did. */
  closedAt: number | undefined;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.wake();
    });
    const closed = (): void => {
      this.closedAt ??= Date.now();
      this.wake();
    };
    socket.on('close', closed);
    socket.on('error', closed);
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  private next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Resolves when the server has closed the connection. */
  async closed(): Promise<number> {
    while (this.closedAt === undefined) await this.next();
    return this.closedAt;
  }

  /** Reads one response with a content-length body; rejects if the connection closes first. */
  async reply(): Promise<RawReply> {
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end !== -1) {
        const [statusLine, ...lines] = this.buffer.slice(0, end).split('\r\n');
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const length = Number(headers['content-length'] ?? 0);
        if (this.buffer.length >= end + 4 + length) {
          const body = this.buffer.slice(end + 4, end + 4 + length);
          this.buffer = this.buffer.slice(end + 4 + length);
          return { status: Number(statusLine!.split(' ')[1]), headers, body };
        }
      }
      if (this.closedAt !== undefined) throw new Error(`the connection closed before a whole response arrived: ${JSON.stringify(this.buffer)}`);
      await this.next();
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The head of a JSON POST of `query` with `headers`, and its body, to send apart. */
export function graphqlPost(query: string, headers: Record<string, string>): { head: string; body: string } {
  const body = JSON.stringify({ query });
  const lines = [
    'POST / HTTP/1.1',
    'host: localhost',
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return { head: `${lines.join('\r\n')}\r\n\r\n`, body };
}
