/** Directory contract, private conversations: created closed on both sides, each side opened on its own. */
import type { DirectoryContext } from './directory.contract';
import { user } from './directory.fixtures';

export function privateConversationStoreContract(ctx: DirectoryContext): void {
  const d = () => ctx.directory();

  it('creates a conversation closed on both sides, once', async () => {
    const [a, b] = [await user(d(), 'a'), await user(d(), 'b')];
    expect(await d().privateConversationsOf(a.id)).toEqual([]);
    expect(await d().ensurePrivateConversation(a.id, b.id)).toEqual({ userId: a.id, otherUserId: b.id, open: false });
    expect(await d().privateConversationsOf(b.id)).toEqual([{ userId: b.id, otherUserId: a.id, open: false }]);
    await d().setPrivateConversationOpen(a.id, b.id, true);
    expect(await d().ensurePrivateConversation(a.id, b.id)).toEqual({ userId: a.id, otherUserId: b.id, open: true });
    expect(await d().privateConversationsOf(a.id)).toEqual([{ userId: a.id, otherUserId: b.id, open: true }]);
  });

  it("opens and closes one side only, creating the conversation if needed; lists by the other user's id", async () => {
    const [me, x, y] = [await user(d(), 'me'), await user(d(), 'x'), await user(d(), 'y')];
    await d().setPrivateConversationOpen(me.id, y.id, true);
    await d().setPrivateConversationOpen(me.id, x.id, true);
    await d().setPrivateConversationOpen(me.id, y.id, false);
    expect(await d().privateConversationsOf(me.id)).toEqual([
      { userId: me.id, otherUserId: x.id, open: true },
      { userId: me.id, otherUserId: y.id, open: false },
    ]);
    expect(await d().privateConversationsOf(x.id)).toEqual([{ userId: x.id, otherUserId: me.id, open: false }]);
  });
}
