/** API tokens: how a new one is made and the only form of it a directory keeps (a hash). */
import { createHash, randomBytes } from 'node:crypto';

/** A new random token (40 hex characters), handed to its owner once. */
export const newApiToken = (): string => randomBytes(20).toString('hex');

/** What a directory stores and looks tokens up by: a stolen table gives no usable token. */
export const hashApiToken = (token: string): string => createHash('sha256').update(token).digest('hex');
