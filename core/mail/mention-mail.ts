/**
 * The one mail that tells a user what they were mentioned in: per mention the flow, the author, the
 * text and a link to the flow in the app; a signed unsubscribe link in the text, the HTML part and
 * the List-Unsubscribe headers (RFC 2369, and RFC 8058's one-click POST).
 */
import { escapeHtml } from '../escape-html';
import type { OutgoingMail } from '../ports/mailer';

export interface MentionLine {
  /** "Acme / Main" */
  where: string;
  author: string;
  text: string;
  /** The flow in the app. */
  link: string;
}

/** The longest text quoted per mention: the mail points at the app, it does not replace it. */
const QUOTE_MAX = 1000;
const quote = (text: string): string => (text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text);

export function mentionMail(to: string, lines: readonly MentionLine[], unsubscribeUrl: string): OutgoingMail {
  const subject = lines.length === 1 ? `${lines[0]!.author} mentioned you in ${lines[0]!.where}` : `You were mentioned ${lines.length} times on Tributary`;
  const text = [
    ...lines.flatMap((l) => [`${l.author} in ${l.where}:`, ...quote(l.text).split('\n').map((t) => `> ${t}`), l.link, '']),
    `You get these mails when you are mentioned while away. Turn them off: ${unsubscribeUrl}`,
    '',
  ].join('\n');
  const html = [
    '<!doctype html><meta charset="utf-8">',
    ...lines.map((l) => `<p><b>${escapeHtml(l.author)}</b> in <a href="${escapeHtml(l.link)}">${escapeHtml(l.where)}</a>:</p><blockquote style="white-space:pre-wrap">${escapeHtml(quote(l.text))}</blockquote>`),
    `<p style="color:#666">You get these mails when you are mentioned while away. <a href="${escapeHtml(unsubscribeUrl)}">Turn them off</a>.</p>`,
  ].join('\n');
  return {
    to, subject, text, html,
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
