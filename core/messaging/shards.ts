/** Which queue shard a conversation's writes go to: a stable hash, so one conversation's order is one stream's order. */

/** FNV-1a, 32 bit: cheap, stable across processes and versions. */
export function shardOf(conversation: string, shardCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < conversation.length; i++) {
    hash ^= conversation.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shardCount;
}
