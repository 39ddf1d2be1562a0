import { describe, expect, it } from 'vitest';
import { ToolCallReader, promptedMessages, templateMessages, toolInstructions } from './localToolFormat';
import type { ReplyPart } from './tools';

/** Streams `text` in pieces of `size` characters through a reader, and gathers what comes out (text joined). */
function read(text: string, size = 3): ReplyPart[] {
  const reader = new ToolCallReader();
  const parts: ReplyPart[] = [];
  for (let at = 0; at < text.length; at += size) parts.push(...reader.push(text.slice(at, at + size)));
  parts.push(...reader.end());
  // Adjacent text pieces as one, for reading.
  return parts.reduce<ReplyPart[]>((joined, part) => {
    const last = joined.at(-1);
    if (typeof part === 'string' && typeof last === 'string') joined[joined.length - 1] = last + part;
    else joined.push(part);
    return joined;
  }, []);
}

const weather = { name: 'get_weather', description: 'The weather in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

describe('a local model’s tool calls, read from its words', () => {
  it('Qwen and Hermes: text before the call goes on as text, the call as a call', () => {
    for (const size of [1, 3, 7, 100]) {
      expect(read('Let me check.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Lyon"}}\n</tool_call>', size)).toEqual([
        'Let me check.\n',
        { toolCall: { id: 'call_1', name: 'get_weather', arguments: '{"city":"Lyon"}' } },
      ]);
    }
  });

  it('several calls in one answer, each in order', () => {
    expect(read('<tool_call>{"name": "a", "arguments": {}}</tool_call>\n<tool_call>{"name": "b", "arguments": {"x": 1}}</tool_call>')).toEqual([
      { toolCall: { id: 'call_1', name: 'a', arguments: '{}' } },
      '\n',
      { toolCall: { id: 'call_2', name: 'b', arguments: '{"x":1}' } },
    ]);
  });

  it('Llama 3.x: a reply that is only a JSON call (after <|python_tag|> or not), with "parameters"', () => {
    expect(read('{"name": "get_weather", "parameters": {"city": "Oslo"}}')).toEqual([{ toolCall: { id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' } }]);
    expect(read('<|python_tag|>{"name": "get_weather", "parameters": {"city": "Oslo"}}')).toEqual([{ toolCall: { id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' } }]);
  });

  it('words that only look like a call stay words: a < that is no tag, braces in a sentence, JSON that is no call', () => {
    expect(read('Use a < b and <b>bold</b> here.')).toEqual(['Use a < b and <b>bold</b> here.']);
    expect(read('The set {1, 2} is small.')).toEqual(['The set {1, 2} is small.']);
    expect(read('{"answer": 42}')).toEqual(['{"answer": 42}']);
  });

  it('a call whose arguments are not JSON still goes to the tool box by name (which tells the model); one without a name is text', () => {
    expect(read('<tool_call>{"name": "get_weather", "arguments": {city: Lyon}}</tool_call>')).toEqual([{ toolCall: { id: 'call_1', name: 'get_weather', arguments: '{"name": "get_weather", "arguments": {city: Lyon}}' } }]);
    expect(read('<tool_call>nonsense</tool_call>')).toEqual(['<tool_call>nonsense</tool_call>']);
    // Cut off mid-call (the token limit): no name can be read, so it is the text it was.
    expect(read('<tool_call>{"name": "get_wea')).toEqual(['<tool_call>{"name": "get_wea']);
  });
});

describe('telling a local model of its tools', () => {
  const round = [
    { role: 'system', content: 'You are helpful.' },
    { role: 'user', content: 'Weather in Lyon?' },
    { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Lyon"}' }] },
    { role: 'tool', content: 'Sunny.', tool_call_id: 'call_1' },
  ];

  it('for a template that takes tools: calls and results in its own fields', () => {
    expect(templateMessages(round).slice(2)).toEqual([
      { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: { city: 'Lyon' } } }] },
      { role: 'tool', content: 'Sunny.', tool_call_id: 'call_1' },
    ]);
  });

  it('otherwise: the tools in the system prompt, calls written back as the model writes them, results as the user’s <tool_response>', () => {
    const messages = promptedMessages(round, [weather]);
    expect(messages[0]?.content).toBe(`You are helpful.\n\n${toolInstructions([weather])}`);
    expect(messages[0]?.content).toContain('{"type":"function","function":{"name":"get_weather","description":"The weather in a city."');
    expect(messages.slice(1)).toEqual([
      { role: 'user', content: 'Weather in Lyon?' },
      { role: 'assistant', content: 'Let me check.\n<tool_call>\n{"name":"get_weather","arguments":{"city":"Lyon"}}\n</tool_call>' },
      { role: 'user', content: '<tool_response>\nSunny.\n</tool_response>' },
    ]);
  });
});
