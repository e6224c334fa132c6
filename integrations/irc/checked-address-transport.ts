/**
 * The bridge's way onto the network: irc-framework's TCP/TLS transport, but connecting to the
 * address the outbound guard checked (integrations/outbound), never re-resolving the server's name,
 * and for TLS sending that name for SNI and verifying the certificate against it, trusting the
 * extra CAs of OUTBOUND_CA_FILE beside Node's own. irc-framework's transport resolves the host
 * itself and has no CA option, hence this one (irc-framework takes a `transport` class).
 */
import net from 'node:net';
import tls from 'node:tls';
import NetTransport from 'irc-framework/src/transports/net';

export interface CheckedConnectOptions {
  /** The address the guard admitted. */
  host: string;
  port: number;
  tls: boolean;
  /** The server's name as configured: SNI and the certificate's name (an address: neither, the certificate must name it). */
  servername: string;
  /** Extra CAs (PEM), trusted beside Node's own. */
  ca?: string;
}

/** irc-framework's state while a socket is opening (transports/net.js, SOCK_CONNECTING). */
const SOCK_CONNECTING = 1;

export class CheckedAddressTransport extends NetTransport {
  override connect(): void {
    const options = this.options as unknown as CheckedConnectOptions;
    // What irc-framework's own connect() resets before opening a socket.
    this.disposeSocket();
    this.requested_disconnect = false;
    this.incoming_buffer = Buffer.alloc(0);
    this.setEncoding('utf8');
    this.state = SOCK_CONNECTING;
    const socket = options.tls
      ? tls.connect({
          host: options.host,
          port: options.port,
          // RFC 6066 forbids an address as SNI; Node then checks the certificate against `host`.
          ...(net.isIP(options.servername) ? {} : { servername: options.servername }),
          ...(options.ca ? { ca: [...tls.rootCertificates, options.ca] } : {}),
        })
      : net.connect({ host: options.host, port: options.port });
    this.socket = socket;
    this._onSocketCreate(this.options, socket);
  }
}
