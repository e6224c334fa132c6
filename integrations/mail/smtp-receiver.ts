/**
 * The SMTP receiver of flows' addresses (`<flow>@<org>.<MAIL_DOMAIN>`): refuses an unknown or
 * archived flow at RCPT time, a mail past MAIL_MAX_BYTES at DATA, and answers 250 only once the
 * mail is stored in every flow it was sent to (the 201 guarantee of posts, ADR 001); when it cannot
 * be stored now (the queue or the database unavailable) it answers 451 and the sender retries. A
 * repeat of a Message-ID is the item already stored, never a second one (ADR 026).
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerError, type SMTPServerSession } from 'smtp-server';
import { mailTarget, postMailToFlow } from '../../core/actions/post-mail';
import type { PostDeps } from '../../core/actions/submit-post';
import type { Flow } from '../../core/domain/types';
import { AppError } from '../../core/errors';
import { parseFlowAddress } from '../../core/integrations/mail-address';
import type { Log } from '../../core/log';
import { mailPost, mailUuid } from './mail-post';
import { parseMail } from './parse-mail';

export interface SmtpReceiverOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  mailDomain: string;
  /** MAIL_MAX_BYTES: the whole mail, as sent. */
  maxBytes: number;
  /** FILE_MAX_BYTES: each attachment kept. */
  maxFileBytes: number;
}

export interface SmtpReceiver {
  port: number;
  stop(): Promise<void>;
}

/** Flows one mail may be sent to at once: more recipients are told to send again (452). */
export const MAX_RECIPIENTS = 20;

/** An SMTP reply: `code` and the text after it (an enhanced status code first, RFC 3463). */
function reply(code: number, text: string): SMTPServerError {
  return Object.assign(new Error(text), { responseCode: code });
}

/** How a failure to find or post into a flow is answered: refusals are for good (5xx), anything else is "try later" (4xx). */
function replyFor(err: unknown, address: string): SMTPServerError {
  if (err instanceof AppError) {
    if (err.code === 'NOT_FOUND') return reply(550, `5.1.1 <${address}>: no such flow address`);
    if (err.code === 'FORBIDDEN') return reply(550, `5.2.1 <${address}>: ${err.message}`);
    if (err.code === 'VALIDATION_FAILED' || err.code === 'PAYLOAD_TOO_LARGE') return reply(554, `5.6.0 the mail cannot be posted: ${err.message} ${JSON.stringify(err.fields ?? {})}`);
  }
  return reply(451, '4.3.0 the mail could not be stored just now; try again later');
}

/** The flow a recipient address names; throws the SMTP refusal. */
async function flowOf(deps: PostDeps, address: string, mailDomain: string): Promise<Flow> {
  const path = parseFlowAddress(address, mailDomain);
  if (!path) throw reply(550, `5.1.1 <${address}>: not a flow address of ${mailDomain}`);
  try {
    return await mailTarget(deps.directory, path.org, path.flow);
  } catch (err) {
    throw replyFor(err, address);
  }
}

/** The mail's bytes, or null past the cap (the rest is read and dropped: the client must reach the end of DATA to hear the 552). */
function readCapped(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(stream.sizeExceeded || size > maxBytes ? null : Buffer.concat(chunks)));
  });
}

export async function startSmtpReceiver(deps: PostDeps, options: SmtpReceiverOptions, log: Log): Promise<SmtpReceiver> {
  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const raw = await readCapped(stream, options.maxBytes);
    if (!raw) throw reply(552, `5.3.4 the mail exceeds the limit of ${options.maxBytes} bytes (MAIL_MAX_BYTES)`);
    const mail = await parseMail(raw, { maxFileBytes: options.maxFileBytes }).catch((err: unknown) => {
      throw reply(554, `5.6.0 the mail could not be parsed: ${(err as Error).message}`);
    });
    const post = { ...mailPost(mail), uuid: mailUuid(mail.messageId) };
    const ids: string[] = [];
    const posted = new Set<string>();
    for (const { address } of session.envelope.rcptTo) {
      // A flow removed or archived since RCPT: refuse the mail for all (no partial 250) — the retry then posts only where it may.
      const flow = await flowOf(deps, address, options.mailDomain);
      if (posted.has(flow.id)) continue;
      posted.add(flow.id);
      try {
        ids.push(String((await postMailToFlow(deps, flow, post, mail.files)).message.id));
      } catch (err) {
        log.warn({ err, flow: flow.id, messageId: mail.messageId }, 'a mail for a flow could not be posted');
        throw replyFor(err, address);
      }
    }
    return `2.0.0 stored as message ${ids.join(', ')}`;
  }

  const server = new SMTPServer({
    name: options.mailDomain,
    banner: 'Tributary mail in',
    secure: false,
    // No accounts send through here: it only receives for flows. No certificate is configured (ADR 026).
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: options.maxBytes,
    logger: false,
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(reply(452, `4.5.3 at most ${MAX_RECIPIENTS} flows per mail; send the rest again`));
      flowOf(deps, address.address, options.mailDomain).then(() => callback(), (err: SMTPServerError) => callback(err));
    },
    onData(stream, session, callback) {
      receive(stream, session).then(
        (message) => callback(null, message),
        (err: unknown) => {
          if (!(err instanceof Error && 'responseCode' in err)) log.warn({ err }, 'a mail could not be received');
          callback(err instanceof Error && 'responseCode' in err ? err : reply(451, '4.3.0 the mail could not be stored just now; try again later'));
        },
      );
    },
  });
  server.on('error', (err) => log.warn({ err }, 'SMTP receiver error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log.info({ port, mailDomain: options.mailDomain }, 'SMTP receiver listening for flow addresses');
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
