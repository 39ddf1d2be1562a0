import { describe, expect, it } from 'vitest';
import { ToolApprovals, spokenDecision } from './toolApprovals';
import type { ToolRequest } from './toolBox';

const request = (id: string): ToolRequest => ({ call: { id, name: 'set_timer', arguments: '{}' }, host: 'this page', args: {} });

describe('tool approvals', () => {
  it('shows each call waiting and takes the answer from the card', async () => {
    const shown: (readonly ToolRequest[])[] = [];
    const approvals = new ToolApprovals((requests) => shown.push(requests));
    const first = approvals.ask(request('a'), new AbortController().signal);
    const second = approvals.ask(request('b'), new AbortController().signal);
    expect(approvals.requests.map((one) => one.call.id)).toEqual(['a', 'b']);
    expect(approvals.waiting).toBe(true);
    approvals.answer('b', 'deny');
    approvals.answer('a', 'allow-always');
    expect(await first).toBe('allow-always');
    expect(await second).toBe('deny');
    expect(shown.map((requests) => requests.map((one) => one.call.id))).toEqual([['a'], ['a', 'b'], ['a'], []]);
    expect(approvals.waiting).toBe(false);
  });

  it('a spoken yes or no answers the oldest call; other words are not an answer', async () => {
    const approvals = new ToolApprovals(() => undefined);
    expect(approvals.answerSpoken('yes')).toBeNull();
    const first = approvals.ask(request('a'), new AbortController().signal);
    const second = approvals.ask(request('b'), new AbortController().signal);
    expect(approvals.answerSpoken('What time is it?')).toBeNull();
    expect(approvals.answerSpoken('Yes, go ahead.')).toBe('allow-once');
    expect(approvals.answerSpoken('No.')).toBe('deny');
    expect(await first).toBe('allow-once');
    expect(await second).toBe('deny');
  });

  it('a reply stopped while its call waits withdraws the question', async () => {
    const shown: number[] = [];
    const approvals = new ToolApprovals((requests) => shown.push(requests.length));
    const controller = new AbortController();
    const asked = approvals.ask(request('a'), controller.signal);
    controller.abort(new Error('barge-in'));
    await expect(asked).rejects.toThrow('barge-in');
    expect(shown).toEqual([1, 0]);
    expect(approvals.answerSpoken('yes')).toBeNull();
  });
});

describe('a spoken answer', () => {
  it.each([
    ['yes', 'allow-once'],
    ['Yeah.', 'allow-once'],
    ['OK, do it', 'allow-once'],
    ['Sure, go ahead!', 'allow-once'],
    ['yes please', 'allow-once'],
    ['No.', 'deny'],
    ["No, don't.", 'deny'],
    ['nope', 'deny'],
    ['Cancel', 'deny'],
    ['never mind', 'deny'],
    ['', null],
    ['yes I would like to know the weather in Paris', null],
    ['what time is it', null],
    ['no idea why', null],
    ['Yes and no', null],
  ] as const)('%j is %s', (text, decision) => {
    expect(spokenDecision(text)).toBe(decision);
  });
});
