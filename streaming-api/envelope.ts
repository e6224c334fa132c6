/** Envelope: one bus payload plus the few fields the streaming node needs, read once per event per node. */
import { privateConversation } from '../core/domain/types';

/**
 * An event as the hub hands it to every local connection. `bytes` is the bus payload itself and
 * is never copied or re-serialized: every subscriber writes this same Buffer.
 */
export interface Envelope {
  readonly bytes: Buffer;
  /** Message id for persisted events; null for live-only events (presence, typing, flow-add). */
  readonly id: number | null;
  /** Conversation the id is numbered in (flow id, or the private conversation key); null if none. */
  readonly conversation: string | null;
  /** ms epoch when the event was sent, for the delivery-latency metric. */
  readonly sent: number | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the envelope fields of a bus payload; null when it is not a JSON object (logged by the caller). */
export function envelopeOf(bytes: Buffer): Envelope | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (!isRecord(parsed)) return null;
  const id = typeof parsed.id === 'number' && Number.isSafeInteger(parsed.id) ? parsed.id : null;
  let conversation: string | null = null;
  if (typeof parsed.flow === 'string' && parsed.flow) conversation = parsed.flow;
  else if (typeof parsed.to === 'string' && typeof parsed.user === 'string') {
    // Private messages are numbered per pair of users, not per channel (spec §2.6).
    conversation = privateConversation(Number(parsed.user), Number(parsed.to));
  }
  const sent = typeof parsed.sent === 'number' ? parsed.sent : null;
  return { bytes, id, conversation, sent };
}
