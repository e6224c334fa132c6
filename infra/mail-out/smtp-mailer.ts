/** The SMTP Mailer: nodemailer to the relay named by SMTP_RELAY_URL (`smtp://user:pass@host:587`, `smtps://…`), from MAIL_FROM. */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../core/config';
import type { Log } from '../../core/log';
import { LogMailer } from '../../core/in-process/log-mailer';
import type { Mailer, OutgoingMail } from '../../core/ports/mailer';

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(relayUrl: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(relayUrl);
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}), ...(mail.headers ? { headers: mail.headers } : {}) });
  }
}

/** The mailer the configuration asks for: SMTP with a relay, else logged. */
export function mailerFrom(config: Pick<Config, 'SMTP_RELAY_URL' | 'MAIL_FROM'>, log: Log): Mailer {
  return config.SMTP_RELAY_URL ? new SmtpMailer(config.SMTP_RELAY_URL, config.MAIL_FROM) : new LogMailer(log);
}
