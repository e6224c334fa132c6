import { flowChangeOf } from './live';

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
