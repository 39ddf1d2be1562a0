import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../settings/schema';
import type { ChatSettings } from './chatCompletionsBackend';
import { LlmRequestError } from './errors';
import { streamResponse } from './responsesBackend';
import type { ReplyPart } from './tools';
import { localServer } from '../../localServer.testSupport';

/** A local server speaking the Responses API's streaming events. */
let reply: (response: ServerResponse) => void;
const bodies: Record<string, unknown>[] = [];

const event = (type: string, fields: Record<string, unknown>, sequence: number) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence, ...fields })}\n\n`;
const textDelta = (delta: string, sequence: number) => event('response.output_text.delta', { item_id: 'm1', output_index: 0, content_index: 0, delta, logprobs: [] }, sequence);

const server = localServer((request, response) => {
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => {
    bodies.push(JSON.parse(Buffer.concat(parts).toString()) as Record<string, unknown>);
    reply(response);
  });
});
const base = () => `${server.origin}/v1`;

const settings = (overrides: Partial<ChatSettings> = {}): ChatSettings => ({ ...defaultSettings(), responses_api_base_url: base(), model_name: 'test-model', ...overrides });
const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }];

async function collect(stream: AsyncGenerator<ReplyPart>): Promise<string[]> {
  const out: string[] = [];
  for await (const part of stream) if (typeof part === 'string') out.push(part);
  return out;
}

describe('streamResponse against a local Responses API server', () => {
  it('speaks output text only: not reasoning events, not think blocks', async () => {
    reply = (response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(event('response.created', { response: { id: 'r1', object: 'response', status: 'in_progress', output: [] } }, 0));
      response.write(event('response.reasoning_text.delta', { item_id: 'rs1', output_index: 0, content_index: 0, delta: 'The user greets me.' }, 1));
      response.write(textDelta('<think>hm</think>Hello', 2));
      response.write(textDelta(' there.', 3));
      response.end(event('response.completed', { response: { id: 'r1', object: 'response', status: 'completed', output: [] } }, 4));
    };
    const deltas = await collect(streamResponse(settings(), messages, new AbortController().signal));
    expect(deltas.join('')).toBe('Hello there.');
    expect(bodies.at(-1)).toMatchObject({ model: 'test-model', stream: true, max_output_tokens: 1024, reasoning: { effort: 'none' }, input: messages });
  });

  it('explains a failed response and an error event', async () => {
    reply = (response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(textDelta('Part', 0));
      response.end(event('response.failed', { response: { id: 'r1', object: 'response', status: 'failed', output: [], error: { code: 'server_error', message: 'model overloaded' } } }, 1));
    };
    const failed = await collect(streamResponse(settings(), messages, new AbortController().signal)).catch((caught: unknown) => caught);
    expect(failed).toBeInstanceOf(LlmRequestError);
    expect((failed as Error).message).toContain('model overloaded');
    reply = (response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(event('error', { code: 'rate_limit', message: 'slow down', param: null }, 0));
    };
    const errored = await collect(streamResponse(settings(), messages, new AbortController().signal)).catch((caught: unknown) => caught);
    expect(errored).toBeInstanceOf(LlmRequestError);
    expect((errored as Error).message).toContain('slow down');
  });

  it('explains an HTTP error as the chat-completions backend does', async () => {
    reply = (response) => response.writeHead(401, { 'content-type': 'application/json' }).end('{"error": {"message": "bad key"}}');
    const error = await collect(streamResponse(settings({ responses_api_api_key: 'sk-x' }), messages, new AbortController().signal)).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('check responses_api_api_key');
  });
});
