/** The Mailer of a server without SMTP_RELAY_URL: each mail is logged (embedded mode shows an invitation's link there) and not sent. */
import type { Log } from '../log';
import type { Mailer, OutgoingMail } from '../ports/mailer';

export class LogMailer implements Mailer {
  constructor(private readonly log: Log) {}

  async send(mail: OutgoingMail): Promise<void> {
    this.log.info({ to: mail.to, subject: mail.subject, text: mail.text }, 'mail not sent (no SMTP_RELAY_URL): logged instead');
  }
}
