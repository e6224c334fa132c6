/**
 * The bridge's transport over TLS against a local TLS server whose certificate names
 * `irc.test.local` only: it connects to the checked address (127.0.0.1), sends the configured name
 * as SNI, verifies the certificate against that name, and trusts the extra CA it is given (as
 * OUTBOUND_CA_FILE) — a wrong name or an untrusted certificate closes the link, nothing is sent.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { selfSigned } from '../../test/support/self-signed';
import { CheckedAddressTransport, type CheckedConnectOptions } from './checked-address-transport';

const NAME = 'irc.test.local';
const dir = mkdtempSync(join(tmpdir(), 'irc-tls-'));
let cert: string;
let server: Server;
let port: number;
/** The SNI each accepted TLS connection named. */
const names: (string | false | null)[] = [];

beforeAll(async () => {
  const pair = selfSigned(dir, `DNS:${NAME}`);
  cert = pair.cert;
  server = createServer({ key: pair.key, cert: pair.cert }, (socket: TLSSocket) => {
    names.push(socket.servername);
    socket.end(`:${NAME} NOTICE * :hello over TLS\r\n`);
  });
  server.on('tlsClientError', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** Connects; resolves with the lines received and the socket error, once the link closes. */
async function attempt(options: Partial<CheckedConnectOptions>): Promise<{ lines: string[]; error: Error | false }> {
  const transport = new CheckedAddressTransport({ host: '127.0.0.1', port, tls: true, servername: NAME, ca: cert, ...options } as unknown as Record<string, unknown>);
  const lines: string[] = [];
  transport.on('line', (line: string) => lines.push(line.trim()));
  const closed = once(transport, 'close') as Promise<[Error | false]>;
  transport.connect();
  const [error] = await closed;
  return { lines, error };
}

test('connects to the checked address, names the configured server for SNI, and verifies its certificate with the extra CA', async () => {
  const before = names.length;
  const { lines, error } = await attempt({});
  expect(error).toBe(false);
  expect(lines).toEqual([`:${NAME} NOTICE * :hello over TLS`]);
  expect(names.slice(before)).toEqual([NAME]);
});

test('refuses a certificate that does not name the configured server', async () => {
  const { lines, error } = await attempt({ servername: 'other.test.local' });
  expect(lines).toEqual([]);
  expect(error).not.toBe(false);
  expect((error as Error).message).toMatch(/does not match certificate's altnames/);
});

test('refuses a certificate no trusted CA signed (no extra CA given)', async () => {
  const { lines, error } = await attempt({ ca: undefined });
  expect(lines).toEqual([]);
  expect(error).not.toBe(false);
  expect((error as NodeJS.ErrnoException).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
});
