/** Mail out's pure parts: whom a message mentions, the mention mail (escaped HTML, one-click headers), and the signed unsubscribe token. */
import { randomBytes } from 'node:crypto';
import type { MessageJson } from '../domain/types';
import { mentionMail } from './mention-mail';
import { mentionOf } from './mentioned-users';
import { unsubscribeKeyFrom, unsubscribeToken, userOfUnsubscribeToken } from './unsubscribe-token';

const message = (over: Partial<MessageJson>): MessageJson => ({
  id: 7, uuid: 'u', event: 'message', content: 'hi', tags: [], user: '1', flow: 'f1', sent: 0, created_at: '', edited: null, app: 'chat', attachments: [], ...over,
});

describe('mentionOf', () => {
  it('names the users of :user: and :unread: tags once each, never the author', () => {
    expect(mentionOf(message({ tags: [':user:2', ':unread:2', ':unread:3', ':user:1', ':user:everyone', 'x', ':highlight:4'] }))).toEqual({ flowId: 'f1', messageId: 7, userIds: [2, 3], authorId: 1 });
  });

  it('is null for private messages, inbox items and messages mentioning nobody; anonymous posts have no author', () => {
    expect(mentionOf(message({ flow: undefined, to: '2', tags: [':user:2'] }))).toBeNull();
    expect(mentionOf(message({ event: 'activity', tags: [':user:2'] }))).toBeNull();
    expect(mentionOf(message({ tags: ['#x'] }))).toBeNull();
    expect(mentionOf(message({ user: '0', event: 'comment', tags: [':user:5'] }))?.authorId).toBeNull();
    expect(mentionOf(message({ user: 'imported-42', tags: [':user:5'] }))?.authorId).toBeNull();
    expect(mentionOf(message({ tags: [':user:99999999999999999999', ':unread:-1', ':user:0'] }))).toBeNull();
  });
});

describe('mentionMail', () => {
  const lines = [
    { where: 'Acme / Main', author: 'Bob <b>', text: 'look <script>alert(1)</script> & see', link: 'https://t.example/app/acme/main' },
    { where: 'Acme / Ops', author: 'Eve', text: 'second', link: 'https://t.example/app/acme/ops' },
  ];
  const mail = mentionMail('alice@example.test', lines, 'https://t.example/unsubscribe/1.sig');

  it('puts every mention in one mail, the text plain and the HTML part escaped', () => {
    expect(mail.subject).toBe('You were mentioned 2 times on Tributary');
    expect(mail.text).toContain('> look <script>alert(1)</script> & see');
    expect(mail.text).toContain('https://t.example/app/acme/ops');
    expect(mail.html).toContain('look &#60;script&#62;alert(1)&#60;/script&#62; &#38; see');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('<b>Bob &#60;b&#62;</b>');
  });

  it('carries the unsubscribe link in the text and the RFC 2369 / RFC 8058 headers', () => {
    expect(mail.text).toContain('https://t.example/unsubscribe/1.sig');
    expect(mail.headers).toEqual({ 'List-Unsubscribe': '<https://t.example/unsubscribe/1.sig>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
  });
});

describe('unsubscribe tokens', () => {
  const key = unsubscribeKeyFrom(randomBytes(32).toString('base64'))!;

  it('round-trips the user id; no key without SOURCE_SECRET_KEY', () => {
    expect(userOfUnsubscribeToken(key, unsubscribeToken(key, 42))).toBe(42);
    expect(unsubscribeKeyFrom(undefined)).toBeNull();
  });

  it('refuses another user id under a signature (403), another server\'s signature (403) and a malformed token (400)', () => {
    const signature = unsubscribeToken(key, 42).split('.')[1];
    expect(() => userOfUnsubscribeToken(key, `43.${signature}`)).toThrow(expect.objectContaining({ status: 403 }));
    const other = unsubscribeKeyFrom(randomBytes(32).toString('base64'))!;
    expect(() => userOfUnsubscribeToken(key, unsubscribeToken(other, 42))).toThrow(expect.objectContaining({ status: 403, message: expect.stringMatching(/signature does not match/) }));
    for (const bad of ['', '42', 'x.y', `0.${signature}`, `42.${signature}x`]) expect(() => userOfUnsubscribeToken(key, bad)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
