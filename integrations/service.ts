/** The integrations service: workers that run the built-in sources (RSS, IMAP, IRC, …) under leases, and the SMTP receiver of flows' addresses when SMTP_PORT is set (docs/subsystems/integrations.md). */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { rootCertificates } from 'node:tls';
import { FileUploads } from '../core/files/file-uploads';
import { secretKeyFrom } from '../core/integrations/source-secrets';
import { defineService } from '../core/service-descriptor';
import { SharpImages } from '../infra/images/sharp-images';
import { startMailOut } from './mail-out/start-mail-out';
import { type SmtpReceiver, startSmtpReceiver } from './mail/smtp-receiver';
import { AddressGuard } from './outbound/address-guard';
import { sourceRunners } from './source-runners';
import { IntegrationWorker } from './worker/integration-worker';

export const integrationsService = defineService({
  name: 'integrations',
  summary: 'runs the built-in sources (RSS feeds, IMAP mailboxes, Twitter searches, IRC bridges) under leases, receives mail for flows (SMTP_PORT), and sends mail out (invitations, mention notifications)',
  inAll: true,
  needs: ['directory', 'store', 'ingress', 'sourceRuns', 'blobs', 'presence', 'mailOutbox', 'mentionNotices'],
  http: 'shared',
  async start({ parts, config, log, metrics }) {
    if (config.SMTP_PORT !== undefined && !config.MAIL_DOMAIN) throw new Error('SMTP_PORT is set but MAIL_DOMAIN is not: set MAIL_DOMAIN to the domain of flows\' addresses (<flow>@<org>.<MAIL_DOMAIN>)');
    // Mail attachments are stored like uploads (docs/adr/016-files.md).
    const files = new FileUploads({ blobs: parts.blobs, images: new SharpImages(), maxBytes: config.FILE_MAX_BYTES });
    const postDeps = { directory: parts.directory, store: parts.store, ingress: parts.ingress, files };
    const runners = sourceRunners({ mail: { maxBytes: config.MAIL_MAX_BYTES, maxFileBytes: config.FILE_MAX_BYTES }, twitterApiUrl: config.TWITTER_API_URL });
    const worker = new IntegrationWorker({ ...postDeps, runs: parts.sourceRuns, log, metrics }, runners, {
      holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      leaseMs: config.SOURCE_LEASE_S * 1000,
      minIntervalS: config.SOURCE_MIN_INTERVAL_S,
      backoffMaxS: config.SOURCE_BACKOFF_MAX_S,
      ...(config.SOURCE_SECRET_KEY ? { secretKey: secretKeyFrom(config.SOURCE_SECRET_KEY) } : {}),
      outbound: {
        guard: new AddressGuard(config.OUTBOUND_ALLOW),
        limits: {
          timeoutMs: config.SOURCE_FETCH_TIMEOUT_MS,
          maxBytes: config.SOURCE_MAX_FEED_BYTES,
          ...(config.OUTBOUND_CA_FILE ? { ca: [...rootCertificates, readFileSync(config.OUTBOUND_CA_FILE, 'utf8')] } : {}),
        },
        breakerOpenMs: config.SOURCE_BREAKER_OPEN_S * 1000,
      },
    });
    const smtp: SmtpReceiver | null = config.SMTP_PORT === undefined ? null : await startSmtpReceiver(postDeps, {
      host: config.HOST, port: config.SMTP_PORT, mailDomain: config.MAIL_DOMAIN!, maxBytes: config.MAIL_MAX_BYTES, maxFileBytes: config.FILE_MAX_BYTES,
    }, log);
    const mailOut = startMailOut(parts, config, log, metrics);
    worker.start();
    return {
      // Finishes the mails and runs in hand and releases its leases, so another worker takes over at once.
      async stop() {
        await smtp?.stop();
        await mailOut.stop();
        await worker.stop();
      },
    };
  },
});
