/** Flow tokens: random, stored only as a hash, checked against it exactly; and what a token may do to its flow. */
import { decideForToken } from '../access/flow-policy';
import { flowTokenMatches, hashFlowToken, looksLikeFlowToken, newFlowToken } from './flow-tokens';

describe('flow tokens', () => {
  it('are 64 hex characters, different every time, and hash to something else', () => {
    const [a, b] = [newFlowToken(), newFlowToken()];
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(hashFlowToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashFlowToken(a)).not.toBe(a);
  });

  it('match their own hash only: not another token, a case change, or a malformed stored hash', () => {
    const token = newFlowToken();
    expect(flowTokenMatches(token, hashFlowToken(token))).toBe(true);
    expect(flowTokenMatches(newFlowToken(), hashFlowToken(token))).toBe(false);
    expect(flowTokenMatches(token.toUpperCase(), hashFlowToken(token))).toBe(false);
    expect(flowTokenMatches(token, hashFlowToken(token).slice(0, 32))).toBe(false);
  });

  it('refuse what cannot be a token before any store is asked', () => {
    expect(looksLikeFlowToken(newFlowToken())).toBe(true);
    expect(looksLikeFlowToken('1b609b5253702a0a7ca3607f02642130')).toBe(true);
    for (const bad of [undefined, 42, '', 'short', 'a'.repeat(129), 'has space in it 1234', `${'a'.repeat(20)}\u0000`]) expect(looksLikeFlowToken(bad)).toBe(false);
  });
});

describe('decideForToken', () => {
  it('lets a token read and post into a live flow, and only read an archived one', () => {
    expect(decideForToken({ disabled: false }, 'post')).toEqual({ allowed: true });
    expect(decideForToken({ disabled: false }, 'read')).toEqual({ allowed: true });
    expect(decideForToken({ disabled: true }, 'read')).toEqual({ allowed: true });
    expect(decideForToken({ disabled: true }, 'post')).toEqual({ allowed: false, as: 'forbidden', reason: 'the flow is archived' });
  });
});
