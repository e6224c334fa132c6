import { flowChangeOf, resumeCursor } from './live';

const head = { user: '1', sent: 1, tags: [], uuid: null, attachments: [], app: null };

describe('flowChangeOf', () => {
  it('reads what each flow event changes, with what the list shows of an update', () => {
    const flow = { id: 'f1', name: 'Main', parameterized_name: 'main', access_mode: 'link', disabled: false };
    expect(flowChangeOf({ event: 'flow-add', content: { ...flow, organization: {}, open: true }, ...head })).toEqual({ kind: 'added', flowId: 'f1' });
    expect(flowChangeOf({ event: 'flow-remove', content: { id: 'f1' }, ...head })).toEqual({ kind: 'removed', flowId: 'f1' });
    expect(flowChangeOf({ event: 'flow-update', content: { ...flow, name: 'Renamed', disabled: true }, flow: 'f1', ...head })).toEqual({ kind: 'updated', flowId: 'f1', name: 'Renamed', disabled: true });
  });

  it('is null for any other event, and for a flow event without a flow id or, updated, without a name', () => {
    expect(flowChangeOf({ event: 'typing', content: null, flow: 'f1', ...head })).toBeNull();
    expect(flowChangeOf({ event: 'flow-add', content: null, ...head })).toBeNull();
    expect(flowChangeOf({ event: 'flow-remove', content: { id: 7 }, ...head })).toBeNull();
    expect(flowChangeOf({ event: 'flow-update', content: { id: 'f1' }, flow: 'f1', ...head })).toBeNull();
  });
});

describe('resumeCursor', () => {
  it('resumes a flow whose history is loaded from its log, to keep the log gapless', () => {
    expect(resumeCursor(42, true, 50)).toBe(42);
  });

  it('resumes any other flow from the newest message counted, by the flow list or live', () => {
    expect(resumeCursor(0, false, 17)).toBe(17);
    expect(resumeCursor(30, false, 17)).toBe(30);
    expect(resumeCursor(12, false, 17)).toBe(17);
    // An empty flow: from its start, so its first message is not missed.
    expect(resumeCursor(0, false, 0)).toBe(0);
    expect(resumeCursor(0, true, 0)).toBe(0);
  });

  it('subscribes live only when nothing says where the app stands (a server without read markers)', () => {
    expect(resumeCursor(0, false, undefined)).toBeUndefined();
    expect(resumeCursor(9, false, undefined)).toBe(9);
  });
});
