/**
 * Mailer: sends one mail out (invitations, mention notifications). The SMTP implementation
 * (infra/mail-out/smtp-mailer.ts, nodemailer to SMTP_RELAY_URL) and a logging one for a server
 * without a relay (core/in-process/log-mailer.ts) both honour it.
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative of `text`, every user-given string in it escaped (core/escape-html.ts). */
  html?: string;
  /** Extra headers (List-Unsubscribe). */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Resolves once the relay accepted the mail; rejects when it refused it or could not be reached. */
  send(mail: OutgoingMail): Promise<void>;
}
