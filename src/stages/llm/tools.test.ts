import { describe, expect, it } from 'vitest';
import { ToolCallAssembler } from './tools';

describe('streamed tool calls', () => {
  it('are gathered by index into whole calls, in order, their arguments joined', () => {
    const calls = new ToolCallAssembler();
    calls.push(1, { id: 'call_b', name: 'get_time' });
    calls.push(0, { id: 'call_a', name: 'set_timer', arguments: '{"min' });
    calls.push(0, { arguments: 'utes": 10}' });
    calls.push(1, { arguments: '{}' });
    expect(calls.finish()).toEqual([
      { id: 'call_a', name: 'set_timer', arguments: '{"minutes": 10}' },
      { id: 'call_b', name: 'get_time', arguments: '{}' },
    ]);
  });

  it('a call without an id gets one; a piece without a name is no call', () => {
    const calls = new ToolCallAssembler();
    calls.push(0, { name: 'get_time', arguments: '{}' });
    calls.push(3, { arguments: '{}' });
    expect(calls.finish()).toEqual([{ id: 'call_0', name: 'get_time', arguments: '{}' }]);
  });
});
