/**
 * Secrets in a source's config (passwords, API keys): sealed with AES-256-GCM under the key in
 * SOURCE_SECRET_KEY before they are stored, opened only by the worker that uses them, and never
 * returned by the API (publicConfig). A sealed field is `{ "sealed": "v1.<iv>.<tag>.<ciphertext>" }`
 * (base64url); the field's name is the additional data, so a sealed value cannot be moved to another field.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { validationError } from '../errors';
import type { SourceKind } from './source-kinds';

const VERSION = 'v1';

/** How to make a key, in every message that asks for one. */
export const KEY_HINT = 'set SOURCE_SECRET_KEY to 32 random bytes in base64 (openssl rand -base64 32)';

/** The 32-byte key of SOURCE_SECRET_KEY (base64); throws naming the variable when it is not one. */
export function secretKeyFrom(value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`SOURCE_SECRET_KEY must be 32 bytes in base64 (got ${key.length} bytes): ${KEY_HINT}`);
  return key;
}

interface Sealed {
  sealed: string;
}

const isSealed = (v: unknown): v is Sealed => typeof v === 'object' && v !== null && typeof (v as Sealed).sealed === 'string';

export function sealSecret(key: Buffer, field: string, plain: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(field));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { sealed: [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.') };
}

export function openSecret(key: Buffer, field: string, value: Sealed): string {
  const [version, iv, tag, body] = value.sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error(`config.${field} is not a sealed secret of this version`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(field));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`config.${field} cannot be decrypted: SOURCE_SECRET_KEY is not the key it was stored with`);
  }
}

/** The config to store: each secret field given is sealed; a 400 naming the field when the server has no key. */
export function sealSecrets(kind: SourceKind, config: Record<string, unknown>, key: Buffer | undefined): Record<string, unknown> {
  const stored = { ...config };
  for (const field of kind.secrets) {
    const plain = stored[field];
    if (typeof plain !== 'string') continue;
    if (!key) throw validationError({ [`config.${field}`]: [`is a secret and this server cannot store secrets: ${KEY_HINT} and restart it`] });
    stored[field] = sealSecret(key, field, plain);
  }
  return stored;
}

/** The config a worker runs with: every sealed field opened. */
export function openSecrets(kind: SourceKind, config: Record<string, unknown>, key: Buffer | undefined): Record<string, unknown> {
  const opened = { ...config };
  for (const field of kind.secrets) {
    const value = opened[field];
    if (!isSealed(value)) continue;
    if (!key) throw new Error(`config.${field} is a stored secret: ${KEY_HINT} (the key it was stored with)`);
    opened[field] = openSecret(key, field, value);
  }
  return opened;
}

/** The config as the API shows it: secret fields left out, their names listed under `secrets_set`. */
export function publicConfig(kind: SourceKind | null, config: Record<string, unknown> | null): { config: Record<string, unknown> | null; secrets_set: string[] } {
  if (!config || !kind) return { config, secrets_set: [] };
  const shown = { ...config };
  const set: string[] = [];
  for (const field of kind.secrets) {
    if (field in shown) set.push(field);
    delete shown[field];
  }
  return { config: shown, secrets_set: set };
}
