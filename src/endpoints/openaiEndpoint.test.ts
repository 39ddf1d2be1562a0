import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { localServer } from '../localServer.testSupport';
import { describeFailure, endpointClient, type Endpoint } from './openaiEndpoint';

const headersSeen: Record<string, string | string[] | undefined>[] = [];
const server = localServer((request, response) => {
  headersSeen.push(request.headers);
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [] }));
});

const endpoint: Endpoint = {
  name: 'the speech server',
  baseUrl: 'http://localhost:8000/v1',
  apiKey: 'sk-never-shown',
  keyless: 'none',
  timeoutMs: 30_000,
  settings: { url: 'openai_tts_base_url', key: 'openai_tts_api_key', model: 'openai_tts_model', request: 'openai_tts_voice and openai_tts_response_format', timeout: 'openai_tts_timeout' },
};

const status = (code: number) => OpenAI.APIError.generate(code, { error: { message: 'no' } }, 'no', new Headers());

describe('the SDK client', () => {
  it('sends no header a CORS preflight would have to allow beyond Authorization and Content-Type: no telemetry, no User-Agent of its own', async () => {
    const client = await endpointClient({ ...endpoint, baseUrl: `${server.origin}/v1` });
    await client.models.list();
    const sent = headersSeen.at(-1) ?? {};
    expect(sent.authorization).toBe('Bearer sk-never-shown');
    expect(Object.keys(sent).filter((name) => name.startsWith('x-stainless'))).toEqual([]);
    // Node's fetch names itself where the SDK says nothing (a browser sends none then); never the SDK's own.
    expect(String(sent['user-agent'] ?? '')).not.toMatch(/OpenAI/i);
  });
});

describe('describeFailure', () => {
  it.each([
    [401, 'the speech server refused the request (HTTP 401): check openai_tts_api_key.'],
    [404, 'the speech server has no such model or endpoint (HTTP 404): check openai_tts_model and openai_tts_base_url (it usually ends in /v1).'],
    [413, 'the request was too large for the speech server (HTTP 413): speak in shorter turns, or raise the server’s upload limit.'],
    [429, 'the speech server is rate-limiting requests (HTTP 429): wait a moment and speak again.'],
    [503, 'the speech server failed (HTTP 503): check its logs, then speak again.'],
    [400, 'the speech server rejected the request (HTTP 400): check openai_tts_voice and openai_tts_response_format.'],
  ])('says what HTTP %i means and which setting to check', (code, sentence) => {
    expect(describeFailure(status(code), endpoint)).toBe(sentence);
  });

  it('says when the server cannot be reached or is too slow, and never shows the key', () => {
    const unreachable = describeFailure(new OpenAI.APIConnectionError({ message: 'fetch failed' }), endpoint);
    expect(unreachable).toBe('the speech server at http://localhost:8000/v1 could not be reached. Check openai_tts_base_url, that the server is running, and that it allows this page (CORS).');
    expect(describeFailure(new OpenAI.APIConnectionTimeoutError(), endpoint)).toBe('the speech server did not answer within 30 s. Check it is running and not overloaded, or raise openai_tts_timeout.');
    expect(unreachable).not.toContain('sk-never-shown');
  });
});
