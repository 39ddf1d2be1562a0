import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../settings/schema';
import { streamChatCompletion, type ChatSettings } from './chatCompletionsBackend';
import { LlmRequestError } from './errors';
import type { ReplyPart, ToolSpec } from './tools';
import { localServer } from '../../localServer.testSupport';

/** A local server speaking the Chat Completions streaming protocol (SSE chunks, then [DONE]). */
let handle: (body: Record<string, unknown>, request: IncomingMessage, response: ServerResponse) => void;
const seen: { authorization: string | undefined; body: Record<string, unknown> }[] = [];
let closedEarly = false;

const chunk = (delta: Record<string, unknown>) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;

function streamDeltas(deltas: Record<string, unknown>[], response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const delta of deltas) response.write(chunk(delta));
  response.end('data: [DONE]\n\n');
}

const server = localServer((request, response) => {
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString() || '{}') as Record<string, unknown>;
    seen.push({ authorization: request.headers.authorization, body });
    response.on('close', () => {
      if (!response.writableFinished) closedEarly = true;
    });
    handle(body, request, response);
  });
});
const base = () => `${server.origin}/v1`;
beforeEach(() => {
  seen.length = 0;
  closedEarly = false;
});

const settings = (overrides: Partial<ChatSettings> = {}): ChatSettings => ({ ...defaultSettings(), responses_api_base_url: base(), model_name: 'test-model', ...overrides });
const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }];

async function collect(stream: AsyncGenerator<ReplyPart>): Promise<string[]> {
  const out: string[] = [];
  for await (const part of stream) if (typeof part === 'string') out.push(part);
  return out;
}

async function parts(stream: AsyncGenerator<ReplyPart>): Promise<ReplyPart[]> {
  const out: ReplyPart[] = [];
  for await (const part of stream) out.push(part);
  return out;
}

const TIME: ToolSpec = { name: 'get_time', description: 'The current time.', parameters: { type: 'object', properties: { zone: { type: 'string' } } } };

describe('streamChatCompletion against a local Chat Completions server', () => {
  it('streams the reply’s deltas, without reasoning fields or think blocks, with the request fields set', async () => {
    handle = (_body, _request, response) =>
      streamDeltas([{ role: 'assistant', content: '' }, { reasoning_content: 'Let me think.' }, { content: '<think>plan' }, { content: '</think>Hello' }, { content: ' there.' }], response);
    const deltas = await collect(streamChatCompletion(settings({ responses_api_api_key: 'sk-local', llm_gen_kwargs: { top_p: 0.5 } }), messages, new AbortController().signal));
    expect(deltas.join('')).toBe('Hello there.');
    expect(seen[0]?.authorization).toBe('Bearer sk-local');
    expect(seen[0]?.body).toMatchObject({ model: 'test-model', stream: true, max_tokens: 1024, temperature: 0, top_p: 0.5, chat_template_kwargs: { enable_thinking: false }, messages });
  });

  it('offers tools as functions, and gives the streamed calls whole after the text', async () => {
    handle = (_body, _request, response) =>
      streamDeltas(
        [
          { role: 'assistant', content: 'Let me look.' },
          { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '' } }] },
          { tool_calls: [{ index: 0, function: { arguments: '{"zone": ' } }] },
          { tool_calls: [{ index: 0, function: { arguments: '"UTC"}' } }] },
        ],
        response,
      );
    const out = await parts(streamChatCompletion(settings(), messages, new AbortController().signal, [TIME]));
    expect(out).toEqual(['Let me look.', { toolCall: { id: 'call_1', name: 'get_time', arguments: '{"zone": "UTC"}' } }]);
    expect(seen[0]?.body.tools).toEqual([{ type: 'function', function: { name: 'get_time', description: 'The current time.', parameters: TIME.parameters } }]);
  });

  it('sends a round of tool calls back as the assistant’s calls and each tool’s answer; no tools, no tools field', async () => {
    handle = (_body, _request, response) => streamDeltas([{ content: 'It is noon.' }], response);
    const round = [
      ...messages,
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', name: 'get_time', arguments: '{}' }] },
      { role: 'tool', tool_call_id: 'call_1', content: '12:00' },
    ];
    expect(await collect(streamChatCompletion(settings(), round, new AbortController().signal))).toEqual(['It is noon.']);
    expect(seen[0]?.body.messages).toEqual([
      ...messages,
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '12:00' },
    ]);
    expect(seen[0]?.body).not.toHaveProperty('tools');
  });

  it('sends "none" as the key to a server that needs none', async () => {
    handle = (_body, _request, response) => streamDeltas([{ content: 'ok' }], response);
    await collect(streamChatCompletion(settings(), messages, new AbortController().signal));
    expect(seen[0]?.authorization).toBe('Bearer none');
  });

  it.each([
    [401, 'check responses_api_api_key'],
    [404, 'check model_name and responses_api_base_url'],
    [429, 'rate-limiting'],
    [500, 'HTTP 500'],
  ])('explains HTTP %i and never repeats the key', async (status, words) => {
    handle = (_body, _request, response) => response.writeHead(status, { 'content-type': 'application/json' }).end('{"error": {"message": "no"}}');
    const error = await collect(streamChatCompletion(settings({ responses_api_api_key: 'sk-hidden' }), messages, new AbortController().signal)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmRequestError);
    expect((error as Error).message).toContain(words);
    expect((error as Error).message).not.toContain('sk-hidden');
  });

  it('explains an unreachable server, a connection cut mid-stream, and a missing OpenAI key', async () => {
    const unreachable = await collect(streamChatCompletion(settings({ responses_api_base_url: 'http://127.0.0.1:1/v1' }), messages, new AbortController().signal)).catch((caught: unknown) => caught);
    expect((unreachable as Error).message).toContain('could not be reached');
    handle = (_body, request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk({ content: 'Half a' }));
      setTimeout(() => request.socket.destroy(), 50);
    };
    const received: ReplyPart[] = [];
    const cut = await (async () => {
      for await (const delta of streamChatCompletion(settings(), messages, new AbortController().signal)) received.push(delta);
    })().catch((caught: unknown) => caught);
    expect(received).toEqual(['Half a']);
    expect(cut).toBeInstanceOf(LlmRequestError);
    const noKey = await collect(streamChatCompletion(settings({ responses_api_base_url: null }), messages, new AbortController().signal)).catch((caught: unknown) => caught);
    expect((noKey as Error).message).toBe('OpenAI needs an API key: enter responses_api_api_key, or set responses_api_base_url to your own server.');
    // Only the cut request reached this server: the key check happens before any request.
    expect(seen).toHaveLength(1);
  });

  it('stops at once when aborted (barge-in), closing the request', async () => {
    handle = (_body, _request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const timer = setInterval(() => {
        if (response.writableEnded || response.destroyed) clearInterval(timer);
        else response.write(chunk({ content: `word${n++} ` }));
      }, 20);
    };
    const controller = new AbortController();
    const received: ReplyPart[] = [];
    const result = await (async () => {
      for await (const delta of streamChatCompletion(settings(), messages, controller.signal)) {
        received.push(delta);
        if (received.length === 3) controller.abort();
      }
    })().catch((caught: unknown) => caught);
    expect(received).toHaveLength(3);
    expect(result).not.toBeInstanceOf(LlmRequestError);
    await expect.poll(() => closedEarly).toBe(true);
  });
});
