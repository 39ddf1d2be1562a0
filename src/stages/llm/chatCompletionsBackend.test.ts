import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../settings/schema';
import { streamChatCompletion, type ChatSettings } from './chatCompletionsBackend';
import { LlmRequestError } from './errors';
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

async function collect(stream: AsyncGenerator<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const delta of stream) out.push(delta);
  return out;
}

describe('streamChatCompletion against a local Chat Completions server', () => {
  it('streams the reply’s deltas, without reasoning fields or think blocks, with the request fields set', async () => {
    handle = (_body, _request, response) =>
      streamDeltas([{ role: 'assistant', content: '' }, { reasoning_content: 'Let me think.' }, { content: '<think>plan' }, { content: '</think>Hello' }, { content: ' there.' }], response);
    const deltas = await collect(streamChatCompletion(settings({ responses_api_api_key: 'sk-local', llm_gen_kwargs: { top_p: 0.5 } }), messages, new AbortController().signal));
    expect(deltas.join('')).toBe('Hello there.');
    expect(seen[0]?.authorization).toBe('Bearer sk-local');
    expect(seen[0]?.body).toMatchObject({ model: 'test-model', stream: true, max_tokens: 1024, temperature: 0, top_p: 0.5, chat_template_kwargs: { enable_thinking: false }, messages });
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
    const received: string[] = [];
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
    const received: string[] = [];
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
