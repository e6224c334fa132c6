/** The web-api service: the Flowdock REST API at the root and under /v1. */
import { startAuthenticator } from '../core/auth/followed-authenticator';
import { FileUploads } from '../core/files/file-uploads';
import { secretKeyFrom } from '../core/integrations/source-secrets';
import { unsubscribeKeyFrom } from '../core/mail/unsubscribe-token';
import { defineService } from '../core/service-descriptor';
import { zookeeperFailoverConsole } from '../failover-manager/failover-console';
import { SharpImages } from '../infra/images/sharp-images';
import { createWebApi } from './create-web-api';

export const webApiService = defineService({
  name: 'web-api',
  summary: 'the REST API',
  inAll: true,
  needs: ['directory', 'store', 'ingress', 'bus', 'loginGuard', 'rateLimiter', 'presence', 'blobs', 'mentionNotices'],
  http: 'shared',
  async start({ parts, config, metrics, log }) {
    const unsubscribeKey = unsubscribeKeyFrom(config.SOURCE_SECRET_KEY);
    const auth = await startAuthenticator({ directory: parts.directory, bus: parts.bus, loginGuard: parts.loginGuard, log }, config.PUBLIC_URL);
    const router = createWebApi({
      directory: parts.directory, store: parts.store, ingress: parts.ingress, bus: parts.bus,
      authenticator: auth.authenticator,
      rateLimiter: parts.rateLimiter, presence: parts.presence, metrics, log,
      ...(config.ZOOKEEPER_CONNECT ? { failover: zookeeperFailoverConsole(config.ZOOKEEPER_CONNECT) } : {}),
      mentionNotices: parts.mentionNotices,
      files: new FileUploads({ blobs: parts.blobs, images: new SharpImages(), maxBytes: config.FILE_MAX_BYTES }),
      options: { bodyLimit: config.BODY_LIMIT, maxDepth: config.BODY_MAX_DEPTH, maxParams: config.BODY_MAX_PARAMS, ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}), ...(config.MAIL_DOMAIN ? { mailDomain: config.MAIL_DOMAIN } : {}), ...(config.SOURCE_SECRET_KEY ? { sourceSecretKey: secretKeyFrom(config.SOURCE_SECRET_KEY) } : {}), ...(unsubscribeKey ? { unsubscribeKey } : {}) },
    });
    // Nothing else of its own to drain: its requests end when the server closes, its posts when the ingress stops.
    return { routes: [{ path: '/', router }], stop: () => auth.stop() };
  },
});
