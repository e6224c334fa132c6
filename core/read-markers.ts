/** The rule both ReadMarkerStores share: a marker is a message id, a positive whole number. */
import { validationError } from './errors';

export function requireMessageId(messageId: number): void {
  if (!Number.isSafeInteger(messageId) || messageId < 1) throw validationError({ message_id: ['must be a positive whole number (a message id)'] });
}
