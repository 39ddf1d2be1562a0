import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Tool } from '../stages/llm';
import { currentTimeTool } from './builtinTools';
import { ToolBox, type AskUser, type ToolDecision, type ToolRequest } from './toolBox';

const call = (name: string, args = '{}') => ({ id: 'call_1', name, arguments: args });

function lamp(run: Tool['run'] = (args) => Promise.resolve(`the lamp is ${String(args.state)}`)): Tool {
  return { spec: { name: 'switch_lamp', description: 'Switches the lamp.', parameters: { type: 'object' } }, readOnly: false, host: 'home.example', run };
}

function asking(...decisions: ToolDecision[]) {
  const asked: ToolRequest[] = [];
  const ask: AskUser = (request) => {
    asked.push(request);
    return Promise.resolve(decisions.shift() ?? 'deny');
  };
  return { asked, ask };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the tool box', () => {
  it('asks before a tool that acts, showing the host and the arguments, and runs it once allowed', async () => {
    const { asked, ask } = asking('allow-once', 'allow-once');
    const box = new ToolBox([lamp()], ask);
    expect(await box.run(call('switch_lamp', '{"state": "on"}'), new AbortController().signal)).toBe('the lamp is on');
    expect(asked).toEqual([{ call: call('switch_lamp', '{"state": "on"}'), host: 'home.example', args: { state: 'on' } }]);
    await box.run(call('switch_lamp', '{"state": "off"}'), new AbortController().signal);
    expect(asked).toHaveLength(2);
  });

  it('a denial is the tool’s answer, and nothing runs', async () => {
    const run = vi.fn(() => Promise.resolve('ran'));
    const box = new ToolBox([lamp(run)], asking('deny').ask);
    expect(await box.run(call('switch_lamp'), new AbortController().signal)).toBe('The user denied this call of switch_lamp; it did not run.');
    expect(run).not.toHaveBeenCalled();
  });

  it('always allowed: asked once, then no more', async () => {
    const { asked, ask } = asking('allow-always');
    const box = new ToolBox([lamp()], ask);
    await box.run(call('switch_lamp', '{"state": "on"}'), new AbortController().signal);
    expect(await box.run(call('switch_lamp', '{"state": "off"}'), new AbortController().signal)).toBe('the lamp is off');
    expect(asked).toHaveLength(1);
  });

  it('a read-only tool runs without asking', async () => {
    const { asked, ask } = asking();
    const box = new ToolBox([currentTimeTool(() => new Date('2026-12-07T19:50:00Z'), 'Europe/Paris')], ask);
    const answer = JSON.parse(await box.run(call('get_current_time'), new AbortController().signal)) as Record<string, string>;
    // The wording is the platform's (ICU); the hour is Paris's.
    expect(answer).toEqual({ local: expect.stringMatching(/^Monday,? 7 December 2026,? at 20:50$/) as unknown, time_zone: 'Europe/Paris', iso: '2026-12-07T19:50:00.000Z' });
    expect(asked).toEqual([]);
  });

  it('an unknown tool or arguments that are not an object are told to the model, and nothing runs', async () => {
    const run = vi.fn(() => Promise.resolve('ran'));
    const box = new ToolBox([lamp(run)], asking('allow-once').ask);
    expect(await box.run(call('open_door'), new AbortController().signal)).toBe('Error: there is no tool named open_door. The tools are: switch_lamp.');
    expect(await box.run(call('switch_lamp', '{"state": '), new AbortController().signal)).toMatch(/^Error: the arguments of switch_lamp could not be read \(.+\); it did not run\.$/);
    expect(await box.run(call('switch_lamp', '[1]'), new AbortController().signal)).toBe('Error: the arguments of switch_lamp could not be read (they are not an object); it did not run.');
    expect(run).not.toHaveBeenCalled();
  });

  it('no answer in time: the call does not run, and the model is told why', async () => {
    const run = vi.fn(() => Promise.resolve('ran'));
    const box = new ToolBox([lamp(run)], () => new Promise<ToolDecision>(() => undefined), { approvalMs: 1000, runMs: 1000 });
    const answer = box.run(call('switch_lamp'), new AbortController().signal);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await answer).toBe('Error: the user did not answer within 1 s, so switch_lamp did not run.');
    expect(run).not.toHaveBeenCalled();
  });

  it('a tool slower than its bound is stopped (its signal aborted); a failing one says why; a long result is cut', async () => {
    let stopped = false;
    const slow = lamp((_args, signal) => {
      signal.addEventListener('abort', () => (stopped = true));
      return new Promise<string>(() => undefined);
    });
    const slowBox = new ToolBox([slow], asking('allow-once').ask, { approvalMs: 1000, runMs: 2000 });
    const answer = slowBox.run(call('switch_lamp'), new AbortController().signal);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await answer).toBe('Error: switch_lamp took longer than 2 s and was stopped.');
    expect(stopped).toBe(true);

    const failing = new ToolBox([lamp(() => Promise.reject(new Error('the hub is offline')))], asking('allow-once').ask);
    expect(await failing.run(call('switch_lamp'), new AbortController().signal)).toBe('Error: switch_lamp failed: the hub is offline.');

    const long = new ToolBox([lamp(() => Promise.resolve('x'.repeat(5000)))], asking('allow-once').ask);
    expect(await long.run(call('switch_lamp'), new AbortController().signal)).toBe(`${'x'.repeat(4000)} [cut: the result was 5000 characters]`);
  });

  it('a barge-in while waiting for the user rejects at once', async () => {
    const controller = new AbortController();
    const box = new ToolBox([lamp()], () => new Promise<ToolDecision>(() => undefined));
    const answer = box.run(call('switch_lamp'), controller.signal);
    controller.abort(new Error('barge-in'));
    await expect(answer).rejects.toThrow('barge-in');
  });
});
