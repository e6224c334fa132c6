/** The streaming-api service: HTTP streams (under /stream beside the REST API), the WebSocket at /ws and /stream/ws, and the IRC gateway on IRC_PORT. */
import { startAuthenticator } from '../core/auth/followed-authenticator';
import { defineService } from '../core/service-descriptor';
import { createStreamingService } from './create-streaming-service';
import { ircListenOptions } from './irc/irc-config';

export const streamingApiService = defineService({
  name: 'streaming-api',
  summary: 'HTTP streaming and the WebSocket',
  inAll: true,
  needs: ['directory', 'store', 'bus', 'presence', 'ircResumePoints', 'rateLimiter', 'loginGuard', 'ingress'],
  http: 'shared',
  async start({ parts, config, metrics, log, alone }) {
    const { directory, store } = parts;
    // Read first: a bad IRC setting stops the start before anything listens.
    const irc = ircListenOptions(config);
    const auth = await startAuthenticator({ directory, bus: parts.bus, loginGuard: parts.loginGuard, log }, config.PUBLIC_URL);
    const streaming = createStreamingService({
      directory, store, bus: parts.bus, presence: parts.presence, rateLimiter: parts.rateLimiter, metrics, log,
      authenticator: auth.authenticator,
      postDeps: { directory, store, ingress: parts.ingress },
      options: {
        keepAliveMs: config.STREAM_KEEPALIVE_MS, sendBufferLimitBytes: config.STREAM_SEND_BUFFER,
        maxConnectionsPerUser: config.STREAM_MAX_CONNECTIONS_PER_USER, maxJsonDepth: config.BODY_MAX_DEPTH,
      },
    });
    // Serve nobody before the node hears access revocations.
    await streaming.ready;
    if (irc) {
      const gateway = await streaming.startIrc({ ...irc, resumePoints: parts.ircResumePoints }).catch(async (error: unknown) => {
        await streaming.close();
        await auth.stop();
        throw error;
      });
      log.info({ port: gateway.port, tlsPort: gateway.tlsPort }, 'irc gateway listening');
    }
    return {
      // Alone, the stream is the root (Flowdock's stream.flowdock.com); beside the REST API it moves out of its way.
      routes: [{ path: alone ? '/' : '/stream', router: streaming.router }],
      // Both paths in either mode, so a client configured for one deployment works against the other.
      upgrades: [{ paths: ['/ws', '/stream/ws'], handle: streaming.handleUpgrade }],
      stop: async () => {
        await streaming.close();
        await auth.stop();
      },
    };
  },
});
