import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { describeFailure, type Endpoint } from './openaiEndpoint';

const endpoint: Endpoint = {
  name: 'the speech server',
  baseUrl: 'http://localhost:8000/v1',
  apiKey: 'sk-never-shown',
  keyless: 'none',
  timeoutMs: 30_000,
  settings: { url: 'openai_tts_base_url', key: 'openai_tts_api_key', model: 'openai_tts_model', request: 'openai_tts_voice and openai_tts_response_format', timeout: 'openai_tts_timeout' },
};

const status = (code: number) => OpenAI.APIError.generate(code, { error: { message: 'no' } }, 'no', new Headers());

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
