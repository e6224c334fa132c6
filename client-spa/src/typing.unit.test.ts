/** Typing indicators: shown for a few seconds per event, ended by the person's message, said in one sentence. */
import { startedTyping, stoppedTyping, TYPING_SHOWN_MS, typingIn, typingSentence } from './typing';

it('shows a typist for a few seconds after each event, per flow, until their message arrives', () => {
  let state = startedTyping(new Map(), 'f1', '2', 1000);
  state = startedTyping(state, 'f1', '3', 2000);
  state = startedTyping(state, 'f2', '4', 2000);
  expect(typingIn(state, 'f1', 2500)).toEqual(['2', '3']);
  expect(typingIn(state, 'f1', 1000 + TYPING_SHOWN_MS)).toEqual(['3']);
  state = stoppedTyping(state, 'f1', '3');
  expect(typingIn(state, 'f1', 2500)).toEqual(['2']);
  expect(typingIn(state, 'f2', 2500)).toEqual(['4']);
  expect(stoppedTyping(state, 'f9', '1')).toBe(state);
});

it('says who is typing in one sentence', () => {
  expect(typingSentence([])).toBe('');
  expect(typingSentence(['ann'])).toBe('ann is typing…');
  expect(typingSentence(['ann', 'bob'])).toBe('ann and bob are typing…');
  expect(typingSentence(['ann', 'bob', 'cy'])).toBe('several people are typing…');
});
