/** Credentials never reach a log line: pino redaction of known fields, sanitizeUrl for URLs, and the REST error handler using both. */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { errorHandler } from '../web-api/http/error-handler';
import { createLog } from './log';
import { sanitizeUrl } from './sanitize-url';

/** A logger whose output lines are collected. */
function capturedLog() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: createLog('test', 'info', sink), text: () => lines.join('') };
}

const SECRET = 'c0ffee5ecret';

describe('log redaction', () => {
  it('censors credentials in log objects, at the top and nested', () => {
    const { log, text } = capturedLog();
    log.info({ authorization: `Basic ${SECRET}`, password: SECRET, access_token: SECRET, token: SECRET }, 'top');
    log.info({ headers: { authorization: `Bearer ${SECRET}` }, body: { password: SECRET } }, 'nested');
    log.info({ req: { headers: { authorization: SECRET } } }, 'deeper');
    expect(text()).not.toContain(SECRET);
    expect(text()).toContain('[REDACTED]');
    expect(text()).toContain('"msg":"deeper"');
  });

  it('sanitizeUrl removes secret query values and userinfo, and keeps the rest as sent', () => {
    expect(sanitizeUrl(`/flows/%/main?access_token=${SECRET}&limit=5`)).toBe('/flows/%/main?access_token=[REDACTED]&limit=5');
    expect(sanitizeUrl(`/x?a=1&Access%5FToken=${SECRET}#frag`)).toBe('/x?a=1&Access%5FToken=[REDACTED]#frag');
    expect(sanitizeUrl(`/x?password=${SECRET}&token=${SECRET}`)).toBe('/x?password=[REDACTED]&token=[REDACTED]');
    expect(sanitizeUrl(`https://bob:${SECRET}@example.test/path?q=1`)).toBe('https://[REDACTED]@example.test/path?q=1');
    expect(sanitizeUrl('/flows/acme/main?limit=5')).toBe('/flows/acme/main?limit=5');
  });

  it('sanitizeUrl removes the tokens of join, invitation, unsubscribe and v1 push paths, and nothing of other paths', () => {
    expect(sanitizeUrl(`/join/${SECRET}`)).toBe('/join/[REDACTED]');
    expect(sanitizeUrl(`/flows/acme/main/join/${SECRET}?x=1`)).toBe('/flows/acme/main/join/[REDACTED]?x=1');
    expect(sanitizeUrl(`https://chat.example.test/unsubscribe/${SECRET}`)).toBe('https://chat.example.test/unsubscribe/[REDACTED]');
    expect(sanitizeUrl(`/v1/messages/team_inbox/${SECRET},${SECRET}`)).toBe('/v1/messages/team_inbox/[REDACTED]');
    expect(sanitizeUrl(`/v1/messages/chat/${SECRET}`)).toBe('/v1/messages/chat/[REDACTED]');
    expect(sanitizeUrl('/flows/acme/main/join')).toBe('/flows/acme/main/join');
    expect(sanitizeUrl('/flows/acme/join/messages')).toBe('/flows/acme/join/messages');
  });

  it('the REST error handler logs a 500 without the token of its URL or the Authorization header', async () => {
    const { log, text } = capturedLog();
    const app = express();
    app.get('/boom', () => {
      throw new Error('kaboom');
    });
    app.use(errorHandler(log));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/boom?access_token=${SECRET}`, { headers: { authorization: `Bearer ${SECRET}` } });
      expect(res.status).toBe(500);
    } finally {
      server.close();
    }
    expect(text()).toContain('kaboom');
    expect(text()).toContain('access_token=[REDACTED]');
    expect(text()).not.toContain(SECRET);
  });
});
