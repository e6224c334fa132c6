/** Builds an integration worker's mail out from the configuration: the outbox sender always, mention mails when links can be signed. */
import type { Config } from '../../core/config';
import type { Log } from '../../core/log';
import { unsubscribeKeyFrom } from '../../core/mail/unsubscribe-token';
import type { Metrics } from '../../core/metrics';
import type { ServiceParts } from '../../core/service-descriptor';
import { mailerFrom } from '../../infra/mail-out/smtp-mailer';
import { MailOutLoop } from './mail-out-loop';
import { MentionMailer } from './mention-mailer';
import { OutboxSender } from './outbox-sender';

/** A delivery attempt's claim on a mail: longer than nodemailer's connection and greeting timeouts together. */
const CLAIM_MS = 5 * 60_000;

export function startMailOut(
  parts: Pick<ServiceParts, 'mailOutbox' | 'mentionNotices' | 'directory' | 'store' | 'presence'>,
  config: Config,
  log: Log,
  metrics: Metrics,
): MailOutLoop {
  const sender = new OutboxSender({ outbox: parts.mailOutbox, mailer: mailerFrom(config, log), log, metrics }, {
    retryMinMs: config.MAIL_RETRY_MIN_S * 1000, retryMaxMs: config.MAIL_RETRY_MAX_S * 1000, maxAttempts: config.MAIL_MAX_ATTEMPTS, claimMs: CLAIM_MS,
  });
  const key = unsubscribeKeyFrom(config.SOURCE_SECRET_KEY);
  // A mention mail must carry a working unsubscribe link; without a key to sign it, none is sent.
  if (!key) log.warn('mention mails are off: set SOURCE_SECRET_KEY (it also signs their unsubscribe links)');
  const mentions = key ? new MentionMailer(
    { notices: parts.mentionNotices, directory: parts.directory, store: parts.store, presence: parts.presence, log, metrics },
    { quietMs: config.MENTION_QUIET_S * 1000, publicUrl: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ""), unsubscribeKey: key },
  ) : null;
  const loop = new MailOutLoop({ sender, mentions, log }, config.MAIL_POLL_S * 1000);
  loop.start();
  return loop;
}
