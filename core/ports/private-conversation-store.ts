/** PrivateConversationStore: which 1-to-1 conversations a user has and whether each is open (spec §2.6). */

/** One side of a private conversation: `userId`'s view of their conversation with `otherUserId`. */
export interface PrivateConversationState {
  userId: number;
  otherUserId: number;
  open: boolean;
}

export interface PrivateConversationStore {
  /** The user's side of each of their conversations, by the other user's id. */
  privateConversationsOf(userId: number): Promise<PrivateConversationState[]>;
  /** Creates the conversation, closed on both sides, if none exists (spec §2.6); returns `userId`'s side. */
  ensurePrivateConversation(userId: number, otherUserId: number): Promise<PrivateConversationState>;
  /** Opens or closes `userId`'s side only, creating the conversation first if needed. */
  setPrivateConversationOpen(userId: number, otherUserId: number, open: boolean): Promise<void>;
}
