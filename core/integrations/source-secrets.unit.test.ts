import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SourceKind } from './source-kinds';
import { openSecrets, publicConfig, sealSecrets, secretKeyFrom } from './source-secrets';

// A kind with a secret, as IMAP's password will be (rss has none).
const mailKind: SourceKind = { type: 'mail', config: z.object({ host: z.string(), password: z.string() }), secrets: ['password'] };
const key = randomBytes(32);

describe('secrets in a source config', () => {
  it('seals a secret so that the stored config never holds it, and opens it with the same key', () => {
    const stored = sealSecrets(mailKind, { host: 'imap.test', password: 'hunter2' }, key);
    expect(stored.host).toBe('imap.test');
    expect(JSON.stringify(stored)).not.toContain('hunter2');
    expect(openSecrets(mailKind, stored, key)).toEqual({ host: 'imap.test', password: 'hunter2' });
  });

  it('seals the same secret differently each time (a fresh IV)', () => {
    const a = sealSecrets(mailKind, { host: 'h', password: 'same' }, key);
    const b = sealSecrets(mailKind, { host: 'h', password: 'same' }, key);
    expect(a.password).not.toEqual(b.password);
  });

  it('refuses a secret when the server has no key, naming the field and the fix', () => {
    expect(() => sealSecrets(mailKind, { host: 'h', password: 'p' }, undefined)).toThrow(expect.objectContaining({ fields: { 'config.password': [expect.stringContaining('SOURCE_SECRET_KEY')] } }));
    expect(sealSecrets(mailKind, { host: 'h' }, undefined)).toEqual({ host: 'h' });
  });

  it('cannot open with another key, or a value moved to another field', () => {
    const stored = sealSecrets(mailKind, { host: 'h', password: 'p' }, key);
    expect(() => openSecrets(mailKind, stored, randomBytes(32))).toThrow(/not the key it was stored with/);
    const moved: SourceKind = { ...mailKind, secrets: ['token'] };
    expect(() => openSecrets(moved, { token: stored.password }, key)).toThrow(/cannot be decrypted/);
  });

  it('never shows a secret: the public config lists which are set', () => {
    const stored = sealSecrets(mailKind, { host: 'h', password: 'p' }, key);
    expect(publicConfig(mailKind, stored)).toEqual({ config: { host: 'h' }, secrets_set: ['password'] });
  });

  it('takes a 32-byte base64 key and names SOURCE_SECRET_KEY otherwise', () => {
    expect(secretKeyFrom(key.toString('base64'))).toEqual(key);
    expect(() => secretKeyFrom('short')).toThrow(/SOURCE_SECRET_KEY must be 32 bytes/);
  });
});
