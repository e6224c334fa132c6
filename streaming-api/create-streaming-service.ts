/** createStreamingService: builds the streaming API (HTTP streams + WebSocket) from its dependencies. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Router } from 'express';
import { listenForRevocations, revalidateConnections } from './access-revocations';
import { catchUp } from './catch-up';
import { listenForPasswordChanges } from './credential-changes';
import { recheckLogins } from './login-recheck';
import { createHttpStreamRouter } from './http-stream';
import { type IrcGateway, type IrcListenOptions, startIrcGateway } from './irc/irc-gateway';
import { resolveStreamingOptions } from './options';
import { StreamingContext, type StreamingDeps } from './streaming-context';
import { createWebSocketEndpoint } from './websocket';

export type { StreamingDeps } from './streaming-context';

export interface StreamingService {
  /** `GET /flows?filter=…` and `GET /flows/:org/:flow`; mount at `/` (alone) or `/stream` (shared process). */
  router: Router;
  /** Give it the upgrades of the WebSocket path (`/ws` or `/stream/ws`). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Resolves once the node listens for access revocations and password changes; serve nobody before (startServices awaits it). */
  ready: Promise<void>;
  /** Opens the IRC gateway (docs/irc.md): IRC clients become connections of this node like the others. */
  startIrc(options: IrcListenOptions): Promise<IrcGateway>;
  /** Open authenticated connections, every transport. */
  connectionCount(): number;
  /** Stops accepting, closes WebSockets with 1001 and ends HTTP streams, drops the bus subscriptions. */
  close(): Promise<void>;
}

/** Options are validated here, so a bad one fails at start with a message naming it. */
export function createStreamingService(deps: StreamingDeps): StreamingService {
  const ctx = new StreamingContext(deps, resolveStreamingOptions(deps.options));
  const router = createHttpStreamRouter(ctx);
  const ws = createWebSocketEndpoint(ctx);
  const revocations = listenForRevocations(ctx);
  const passwordChanges = listenForPasswordChanges(ctx);
  deps.bus.onGap(() => {
    catchUp(ctx);
    revalidateConnections(ctx).catch((err: unknown) => deps.log.error({ err }, 'access revalidation after a bus gap failed'));
    // Lost announcements of changed passwords: forget (before the sweep, so a login checked before now and opening after it is checked too), then check.
    deps.authenticator.forgetEveryone();
    void recheckLogins(ctx, [...ctx.connections]); // never rejects: logs what it could not check
  });
  let closed: Promise<void> | null = null;
  const ircGateways: IrcGateway[] = [];
  return {
    router,
    ready: Promise.all([revocations, passwordChanges]).then(() => undefined),
    handleUpgrade: (req, socket, head) => ws.handleUpgrade(req, socket, head),
    async startIrc(options) {
      const gateway = await startIrcGateway(ctx, options);
      ircGateways.push(gateway);
      return gateway;
    },
    connectionCount: () => ctx.connections.size,
    close: () =>
      (closed ??= (async () => {
        ctx.closing = true;
        ws.close();
        await Promise.all(ircGateways.map((g) => g.close()));
        for (const connection of [...ctx.connections]) connection.close('server shutting down');
        ctx.keepAlive.stop();
        await ctx.hub.close();
        for (const subscription of [revocations, passwordChanges]) await (await subscription.catch(() => null))?.unsubscribe();
      })()),
  };
}
