import { beforeEach, describe, expect, it } from 'vitest';
import { localServer } from '../../localServer.testSupport';
import { defaultSettings, type Settings } from '../../settings/schema';
import { Conversation } from './conversation';
import { apiBackend } from './apiBackend';
import type { LanguageModelBackend } from './languageModelBackend';
import { COMPACTION_ANSWER, llmServerHandler, replyTo, type RecordedRequest } from './llmServer.testSupport';
import { FALLBACK_SENTENCE, ReplyGenerator, SUPERSEDED, type ReplyCallbacks, type ToolRunner } from './replyGenerator';
import type { ToolCall } from './tools';

const requests: RecordedRequest[] = [];
const server = localServer(llmServerHandler(requests));
beforeEach(() => {
  requests.length = 0;
});

type Backend = 'chat-completions' | 'responses-api';

function setup(backend: Backend, overrides: Partial<Settings> = {}, options: { silenceMs?: number; concurrent?: boolean } = {}) {
  const settings: Settings = { ...defaultSettings(), llm_backend: backend, responses_api_base_url: `${server.origin}/v1`, model_name: 'test', init_chat_prompt: 'Be brief.', ...overrides };
  const api = apiBackend(settings);
  const model: LanguageModelBackend = options.concurrent === false ? { ...api, concurrent: false } : api;
  const conversation = new Conversation(settings, settings.compact_history);
  const generator = new ReplyGenerator(model, conversation, settings, options.silenceMs);
  return { settings, conversation, generator };
}

function recorder() {
  const deltas: string[] = [];
  const batches: string[] = [];
  const callbacks: ReplyCallbacks = { onDelta: (text) => deltas.push(text), onBatch: (chunk) => batches.push(chunk) };
  return { deltas, batches, callbacks };
}

const SPOKEN = ['You said: hello.', 'Dr. Smith paid $3.50 for two tickets.', 'Here is why:', 'It rained.', 'It was late.', 'That is all!'];

describe.each<Backend>(['chat-completions', 'responses-api'])('ReplyGenerator over %s', (backend) => {
  it.each([1, 2, 3])('streams the reply into batches of %i sentences, markdown removed, and stores the reply', async (size) => {
    const { conversation, generator } = setup(backend, { stream_batch_sentences: size });
    const { deltas, batches, callbacks } = recorder();
    const outcome = await generator.respond('hello', null, new AbortController().signal, callbacks);
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.join('')).toBe(replyTo('hello'));
    const expected: string[] = [];
    for (let index = 0; index < SPOKEN.length; index += size) expected.push(SPOKEN.slice(index, index + size).join(' '));
    expect(batches).toEqual(expected);
    expect(outcome).toEqual({ status: 'completed', text: SPOKEN.join(' ') });
    expect(conversation.history).toEqual([
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: SPOKEN.join(' ') },
    ]);
  });

  it('keeps reasoning out of the reply and the speech', async () => {
    const { generator } = setup(backend);
    const { deltas, batches, callbacks } = recorder();
    await generator.respond('hello [think]', null, new AbortController().signal, callbacks);
    expect(deltas.join('')).not.toMatch(/think/i);
    expect(batches.join(' ')).toBe(SPOKEN.join(' '));
  });

  it('speaks a single (non-streamed) answer whole', async () => {
    const { generator } = setup(backend, { responses_api_stream: false });
    const { batches, callbacks } = recorder();
    const outcome = await generator.respond('hello [think]', null, new AbortController().signal, callbacks);
    expect(requests[0]?.body.stream).toBe(false);
    expect(batches).toEqual([SPOKEN.join(' ')]);
    expect(outcome.status).toBe('completed');
  });

  it('sends the system prompt, the window and the language prompt', async () => {
    const { generator } = setup(backend, { enable_lang_prompt: true });
    await generator.respond('bonjour', 'fr-auto', new AbortController().signal);
    await generator.respond('encore', 'fr-auto', new AbortController().signal);
    const sent = (backend === 'chat-completions' ? requests[1]?.body.messages : requests[1]?.body.input) as { role: string; content: string }[];
    expect(sent).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'bonjour' },
      { role: 'assistant', content: replyTo('bonjour').replace('**two**', 'two').replace('*late*', 'late').replace('\n\n- ', ' ').replace('\n- ', ' ') },
      { role: 'user', content: 'encore' },
      { role: 'user', content: 'Please reply to my message in French.' },
    ]);
  });

  it('on an HTTP error: the fallback sentence, a message saying what to do, the unanswered turn taken back, the key kept out', async () => {
    const { conversation, generator } = setup(backend, { responses_api_api_key: 'sk-secret-123' });
    const { batches, callbacks } = recorder();
    const outcome = await generator.respond('hello [status 429]', null, new AbortController().signal, callbacks);
    expect(outcome).toEqual({ status: 'failed', message: expect.stringContaining('rate-limiting') as string });
    expect(JSON.stringify(outcome)).not.toContain('sk-secret-123');
    expect(requests[0]?.authorization).toBe('Bearer sk-secret-123');
    expect(batches).toEqual([FALLBACK_SENTENCE]);
    expect(conversation.history).toEqual([]);
    await expect(generator.respond('hello', null, new AbortController().signal)).resolves.toMatchObject({ status: 'completed' });
  });

  it('on a connection cut mid-stream: keeps what was said, then the fallback sentence', async () => {
    const { conversation, generator } = setup(backend, { stream_batch_sentences: 1 });
    const { batches, callbacks } = recorder();
    const outcome = await generator.respond('hello [cut]', null, new AbortController().signal, callbacks);
    expect(outcome.status).toBe('failed');
    expect(batches).toEqual(['You said: hello.', FALLBACK_SENTENCE]);
    expect(conversation.history).toEqual([
      { role: 'user', content: 'hello [cut]' },
      { role: 'assistant', content: 'You said: hello.' },
    ]);
  });

  it('gives up when no first token comes in time', async () => {
    const { conversation, generator } = setup(backend, {}, { silenceMs: 300 });
    const { batches, callbacks } = recorder();
    const outcome = await generator.respond('hello [stall]', null, new AbortController().signal, callbacks);
    expect(outcome).toEqual({ status: 'failed', message: expect.stringContaining('no first word within 0.3 s') as string });
    expect(batches).toEqual([FALLBACK_SENTENCE]);
    expect(conversation.history).toEqual([]);
  });

  it('ends a stream that stalls after its first words: what was shown is spoken, then the fallback sentence, and it says it timed out', async () => {
    const { conversation, generator } = setup(backend, { stream_batch_sentences: 1 }, { silenceMs: 300 });
    const { deltas, batches, callbacks } = recorder();
    const outcome = await generator.respond('hello [stall after]', null, new AbortController().signal, callbacks);
    expect(outcome).toEqual({ status: 'failed', message: expect.stringContaining('stopped sending words for 0.3 s, so the reply was ended there (timed out)') as string });
    expect(deltas.join('')).toBe('You said: hello. Dr. Smith paid $3.5');
    expect(batches).toEqual(['You said: hello.', 'Dr. Smith paid $3.5', FALLBACK_SENTENCE]);
    expect(conversation.history.at(-1)).toEqual({ role: 'assistant', content: 'You said: hello. Dr. Smith paid $3.5' });
    // The next message is answered.
    await expect(generator.respond('again', null, new AbortController().signal)).resolves.toMatchObject({ status: 'completed' });
  });

  it.each([
    ['[status 403]', 'the language model server refused the request (HTTP 403): check responses_api_api_key.'],
    ['[html 502]', 'the language model server failed (HTTP 502): check its logs, then speak again.'],
    ['[status 429] [retry 7]', 'the language model server is rate-limiting requests (HTTP 429): try again in 7 s and speak again.'],
    ['[status 429]', 'the language model server is rate-limiting requests (HTTP 429): wait a moment and speak again.'],
    ['[error event]', 'the language model server reported an error mid-answer: scripted failure mid-stream. Speak again; if it repeats, check its logs.'],
  ])('%s: the fallback sentence and what to do', async (marker, message) => {
    const { generator } = setup(backend);
    const { batches, callbacks } = recorder();
    const outcome = await generator.respond(`hello ${marker}`, null, new AbortController().signal, callbacks);
    expect(outcome).toEqual({ status: 'failed', message });
    expect(batches.at(-1)).toBe(FALLBACK_SENTENCE);
  });

  it('a stream whose data is not JSON fails with what to check, keeping what was said', async () => {
    const { conversation, generator } = setup(backend, { stream_batch_sentences: 1 });
    const { batches, callbacks } = recorder();
    const outcome = await generator.respond('hello [malformed]', null, new AbortController().signal, callbacks);
    expect(outcome).toEqual({ status: 'failed', message: expect.stringMatching(/^the language model server sent an answer this page could not read \(.+\)\. Check that responses_api_base_url is an OpenAI-compatible server\.$/) as string });
    expect(batches).toEqual(['You said: hello.', FALLBACK_SENTENCE]);
    expect(conversation.history.at(-1)).toEqual({ role: 'assistant', content: 'You said: hello.' });
  });

  it('barge-in stops the stream and stores what was heard; a reopened turn is taken back', async () => {
    const { conversation, generator } = setup(backend, { stream_batch_sentences: 1 });
    const bargeIn = new AbortController();
    const batches: string[] = [];
    const outcome = await generator.respond('hello [slow]', null, bargeIn.signal, {
      onBatch: (chunk) => {
        batches.push(chunk);
        bargeIn.abort();
      },
      heard: () => 'You said:',
    });
    expect(outcome).toEqual({ status: 'interrupted', text: 'You said:' });
    expect(batches).toEqual(['You said: hello.']);
    expect(conversation.history.at(-1)).toEqual({ role: 'assistant', content: 'You said:' });

    const reopened = new AbortController();
    const pending = generator.respond('again [slow]', null, reopened.signal, { onDelta: () => reopened.abort(SUPERSEDED) });
    await expect(pending).resolves.toEqual({ status: 'superseded' });
    expect(conversation.history.map((message) => message.content)).toEqual(['hello [slow]', 'You said:']);
  });

  it('compacts older turns in the background with the same backend', async () => {
    const { conversation, generator } = setup(backend, { chat_size: 2, compact_history: true });
    await generator.respond('first', null, new AbortController().signal);
    await generator.respond('second', null, new AbortController().signal);
    expect(generator.pendingCompaction).toBeNull();
    await generator.respond('third', null, new AbortController().signal);
    await expect(generator.pendingCompaction).resolves.toBe('applied');
    expect(conversation.history.map((message) => message.content)).toEqual([COMPACTION_ANSWER.user_summary, COMPACTION_ANSWER.assistant_summary, 'third', SPOKEN.join(' ').replace('hello', 'third')]);
  });
});

/** A local engine that ignores abort: once asked, it never yields again and never ends. */
function stuckBackend(): LanguageModelBackend & { readonly streams: number } {
  let streams = 0;
  return {
    concurrent: false,
    streamed: true,
    description: 'stuck',
    get streams() {
      return streams;
    },
    async *stream() {
      streams += 1;
      yield 'Hello there. ';
      await new Promise(() => undefined);
    },
    configure: () => undefined,
    dispose: () => undefined,
  };
}

describe('ReplyGenerator with a backend that ignores abort', () => {
  it('a barge-in ends the reply at once, and the next reply does not wait on the stuck one', async () => {
    const settings = { ...defaultSettings(), stream_batch_sentences: 1 };
    const stuck = stuckBackend();
    const generator = new ReplyGenerator(stuck, new Conversation(settings, false), settings, 60_000);
    const bargeIn = new AbortController();
    const first = generator.respond('hello', null, bargeIn.signal, { onDelta: () => bargeIn.abort('barge-in'), heard: () => 'Hello' });
    await expect(first).resolves.toEqual({ status: 'interrupted', text: 'Hello' });
    const next = new AbortController();
    const second = generator.respond('again', null, next.signal, { onDelta: () => next.abort('barge-in'), heard: () => 'Hello there.' });
    await expect(second).resolves.toEqual({ status: 'interrupted', text: 'Hello there.' });
    expect(stuck.streams).toBe(2);
  });

  it('a stream that goes silent ends by the bound even when the backend ignores the abort', async () => {
    const settings = { ...defaultSettings(), stream_batch_sentences: 1 };
    const generator = new ReplyGenerator(stuckBackend(), new Conversation(settings, false), settings, 200);
    const { batches, callbacks } = recorder();
    const outcome = await generator.respond('hello', null, new AbortController().signal, callbacks);
    expect(outcome).toMatchObject({ status: 'failed', message: expect.stringContaining('timed out') as string });
    expect(batches).toEqual(['Hello there.', FALLBACK_SENTENCE]);
  });
});

describe('ReplyGenerator with one local engine', () => {
  it('stops a background compaction when a reply needs the engine, and the turns stay for the next try', async () => {
    const { conversation, generator } = setup('chat-completions', { chat_size: 2, compact_history: true }, { concurrent: false });
    for (const text of ['first', 'second', 'third']) await generator.respond(text, null, new AbortController().signal);
    const compaction = generator.pendingCompaction;
    expect(compaction).not.toBeNull();
    await generator.respond('fourth', null, new AbortController().signal);
    await expect(compaction).resolves.toBe('failed');
    expect(conversation.history.filter((message) => message.role === 'user').map((message) => message.content)).toEqual(['first', 'second', 'third', 'fourth']);
  });
});

describe.each<Backend>(['chat-completions', 'responses-api'])('ReplyGenerator with tools over %s', (backend) => {
  const runner = (answer: (call: ToolCall) => Promise<string>) => {
    const calls: ToolCall[] = [];
    const tools: ToolRunner = {
      specs: [{ name: 'get_time', description: 'The current time.', parameters: { type: 'object', properties: {} } }],
      run: (call) => {
        calls.push(call);
        return answer(call);
      },
    };
    return { calls, tools };
  };

  it('speaks the text before a call first, runs the call, and answers with its result', async () => {
    const { conversation, generator } = setup(backend);
    const { batches, callbacks } = recorder();
    const { calls, tools } = runner(() => Promise.resolve('noon'));
    const outcome = await generator.respond('what time is it [tool get_time]', null, new AbortController().signal, { ...callbacks, tools });
    expect(calls).toEqual([{ id: 'call_1', name: 'get_time', arguments: '{"from": "test"}' }]);
    expect(batches).toEqual(['Let me check.', 'The tool said: noon.']);
    expect(outcome).toEqual({ status: 'completed', text: 'Let me check. The tool said: noon.' });
    expect(conversation.history).toEqual([
      { role: 'user', content: 'what time is it [tool get_time]' },
      { role: 'assistant', content: 'Let me check.', tool_calls: calls },
      { role: 'tool', tool_call_id: 'call_1', content: 'noon' },
      { role: 'assistant', content: 'The tool said: noon.' },
    ]);
    // The tools were offered with both requests; the second carried the call and its answer.
    // (A request of an earlier test may land late: only this question's are read.)
    const mine = requests.filter((request) => JSON.stringify(request.body).includes('what time is it [tool get_time]'));
    expect(mine.map((request) => (request.body.tools as unknown[] | undefined)?.length)).toEqual([1, 1]);
    const sent = (backend === 'responses-api' ? mine[1]?.body.input : mine[1]?.body.messages) as { role?: string; type?: string }[];
    expect(sent.map((item) => item.role ?? item.type)).toEqual(backend === 'responses-api' ? ['system', 'user', 'assistant', 'function_call', 'function_call_output'] : ['system', 'user', 'assistant', 'tool']);
  });

  it('a server that refuses tools is asked again without them, and the refusal is told once', async () => {
    const { generator } = setup(backend);
    const { batches, callbacks } = recorder();
    const refused: string[] = [];
    const { calls, tools } = runner(() => Promise.resolve('noon'));
    const outcome = await generator.respond('hello [no tools]', null, new AbortController().signal, { ...callbacks, tools: { ...tools, refused: (why) => refused.push(why) } });
    expect(outcome).toMatchObject({ status: 'completed', text: expect.stringMatching(/^You said: hello\. /) as unknown });
    expect(batches[0]).toMatch(/^You said: hello\. /);
    expect(calls).toEqual([]);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain('"auto" tool choice requires --enable-auto-tool-choice');
    const mine = requests.filter((request) => JSON.stringify(request.body).includes('hello [no tools]'));
    expect(mine.map((request) => Array.isArray(request.body.tools))).toEqual([true, false]);
  });

  it('a failure that is not about tools is not asked again', async () => {
    const { generator } = setup(backend);
    const { callbacks } = recorder();
    const refused: string[] = [];
    const { tools } = runner(() => Promise.resolve('noon'));
    const outcome = await generator.respond('hello [status 500]', null, new AbortController().signal, { ...callbacks, tools: { ...tools, refused: (why) => refused.push(why) } });
    expect(outcome.status).toBe('failed');
    expect(refused).toEqual([]);
    expect(requests.filter((request) => JSON.stringify(request.body).includes('hello [status 500]')).length).toBeLessThanOrEqual(3);
  });

  it('without tools the model is offered none and its words are the reply', async () => {
    const { generator } = setup(backend);
    const { batches, callbacks } = recorder();
    await generator.respond('what time is it [tool get_time]', null, new AbortController().signal, callbacks);
    expect(requests[0]?.body).not.toHaveProperty('tools');
    expect(batches.join(' ')).toContain('You said: what time is it.');
  });

  it('a barge-in while a tool runs ends the reply at once; what was heard before the call stays', async () => {
    const { conversation, generator } = setup(backend);
    const { callbacks } = recorder();
    const controller = new AbortController();
    const { tools } = runner(() => {
      controller.abort('barge-in');
      return new Promise<string>(() => undefined);
    });
    const outcome = await generator.respond('time [tool get_time]', null, controller.signal, { ...callbacks, tools, heard: () => 'Let me check.' });
    expect(outcome).toEqual({ status: 'interrupted', text: 'Let me check.' });
    expect(conversation.history).toEqual([
      { role: 'user', content: 'time [tool get_time]' },
      { role: 'assistant', content: 'Let me check.' },
    ]);
  });
});
