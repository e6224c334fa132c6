/** What the REST API is built from: the ports, never their implementations. */
import type { Authenticator } from '../core/auth/authenticator';
import type { FileUploads } from '../core/files/file-uploads';
import type { Log } from '../core/log';
import type { MessageIngress } from '../core/messaging/message-ingress';
import type { Metrics } from '../core/metrics';
import type { Bus } from '../core/ports/bus';
import type { FailoverConsole } from '../failover-manager/failover-console';
import type { Directory } from '../core/ports/directory';
import type { MentionNotices } from '../core/ports/mention-notices';
import type { MessageStore } from '../core/ports/message-store';
import type { Presence } from '../core/ports/presence';
import type { RateLimiter } from '../core/ports/rate-limiter';

export interface WebApiDeps {
  directory: Directory;
  store: MessageStore;
  ingress: MessageIngress;
  /** For live, unstored events (membership changes). */
  bus: Bus;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  presence: Presence;
  /** `event: "file"` uploads and the files they stored. */
  files: FileUploads;
  /** Whether each user gets mention mails (PUT /user, the unsubscribe link). Mail itself goes out through the outbox (integrations). */
  mentionNotices: MentionNotices;
  metrics: Metrics;
  log: Log;
  /** The failover managers' state for the site admins' page; absent without ZOOKEEPER_CONNECT (no managers to read). */
  failover?: FailoverConsole;
  options: {
    bodyLimit: string;
    /** Deepest nesting accepted in a JSON or form body (default 32). */
    maxDepth?: number;
    /** Most parameters accepted in a form body (default 1000). */
    maxParams?: number;
    /** Public origin for absolute URLs; the request's own when unset. */
    publicUrl?: string;
    /** MAIL_DOMAIN: flows' addresses are `<flow>@<org>.<domain>`. */
    mailDomain?: string;
    /** SOURCE_SECRET_KEY, decoded: seals the secrets of built-in sources' configs (core/integrations/source-secrets.ts). */
    sourceSecretKey?: Buffer;
    /** Signs and checks mention mails' unsubscribe links (core/mail/unsubscribe-token.ts); absent without SOURCE_SECRET_KEY. */
    unsubscribeKey?: Buffer;
  };
}
