/** The streaming-api service: HTTP streams (under /stream beside the REST API) and the WebSocket at /ws and /stream/ws. */
import { Authenticator } from '../core/auth/authenticator';
import { defineService } from '../core/service-descriptor';
import { createStreamingService } from './create-streaming-service';

export const streamingApiService = defineService({
  name: 'streaming-api',
  summary: 'HTTP streaming and the WebSocket',
  inAll: true,
  needs: ['directory', 'store', 'bus', 'presence', 'rateLimiter', 'loginGuard', 'ingress'],
  http: 'shared',
  async start({ parts, config, metrics, log, alone }) {
    const { directory, store } = parts;
    const streaming = createStreamingService({
      directory, store, bus: parts.bus, presence: parts.presence, rateLimiter: parts.rateLimiter, metrics, log,
      authenticator: new Authenticator(directory, { loginGuard: parts.loginGuard, publicUrl: config.PUBLIC_URL }),
      postDeps: { directory, store, ingress: parts.ingress },
      options: {
        keepAliveMs: config.STREAM_KEEPALIVE_MS, sendBufferLimitBytes: config.STREAM_SEND_BUFFER,
        maxConnectionsPerUser: config.STREAM_MAX_CONNECTIONS_PER_USER, maxJsonDepth: config.BODY_MAX_DEPTH,
      },
    });
    // Serve nobody before the node hears access revocations.
    await streaming.ready;
    return {
      // Alone, the stream is the root (Flowdock's stream.flowdock.com); beside the REST API it moves out of its way.
      routes: [{ path: alone ? '/' : '/stream', router: streaming.router }],
      // Both paths in either mode, so a client configured for one deployment works against the other.
      upgrades: [{ paths: ['/ws', '/stream/ws'], handle: streaming.handleUpgrade }],
      stop: () => streaming.close(),
    };
  },
});
