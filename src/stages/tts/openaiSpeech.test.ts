import type { IncomingMessage } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { localServer } from '../../localServer.testSupport';
import { defaultSettings } from '../../settings/schema';
import { OpenAiSpeech } from './openaiSpeech';

/** A local speech server: 24 kHz pcm of one 100 ms beep per word, or the status asked for, or a body that stalls, or a web page. */
const seen: { authorization: string | undefined; body: Record<string, unknown> }[] = [];
let status = 200;
let retryAfter: string | null = null;
let answer: 'pcm' | 'stall' | 'page' = 'pcm';
const server = localServer((request: IncomingMessage, response) => {
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString()) as Record<string, unknown>;
    seen.push({ authorization: request.headers.authorization, body });
    if (status !== 200) {
      response.writeHead(status, { 'content-type': 'application/json', ...(retryAfter ? { 'retry-after': retryAfter } : {}) }).end(JSON.stringify({ error: { message: 'scripted' } }));
      return;
    }
    if (answer === 'stall') {
      response.writeHead(200, { 'content-type': 'audio/pcm' }).write(Buffer.alloc(4800));
      return;
    }
    if (answer === 'page') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><body>Welcome</body></html>');
      return;
    }
    const words = String(body.input).split(' ').length;
    const pcm = Buffer.alloc(words * 2400 * 2);
    for (let i = 0; i < words * 2400; i++) pcm.writeInt16LE(Math.round(Math.sin(i / 5) * 16_000), i * 2);
    response.writeHead(200, { 'content-type': 'audio/pcm' }).end(pcm);
  });
});
beforeEach(() => {
  seen.length = 0;
  status = 200;
  retryAfter = null;
  answer = 'pcm';
});

const settings = () => ({ ...defaultSettings(), openai_tts_base_url: `${server.origin}/v1`, openai_tts_api_key: 'sk-speech', openai_tts_voice: 'nova' });

describe('OpenAiSpeech against a local speech server', () => {
  it('posts the batch with model, voice and format, and returns the pcm at the speakers’ rate', async () => {
    const samples = await new OpenAiSpeech(settings(), 48_000).speak('Hello there friend.', new AbortController().signal);
    expect(samples.length).toBe(3 * 4800);
    expect(Math.max(...samples)).toBeGreaterThan(0.4);
    expect(seen[0]).toEqual({ authorization: 'Bearer sk-speech', body: { model: 'tts-1', voice: 'nova', input: 'Hello there friend.', response_format: 'pcm' } });
  });

  it('explains a refused key, a missing model and a server error, without the key', async () => {
    for (const [code, expected] of [
      [401, 'check openai_tts_api_key'],
      [404, 'check openai_tts_model and openai_tts_base_url'],
      [500, 'the speech server failed (HTTP 500)'],
    ] as const) {
      status = code;
      const failure = new OpenAiSpeech(settings(), 48_000).speak('Hi.', new AbortController().signal);
      await expect(failure).rejects.toThrow(expected);
      await expect(failure).rejects.not.toThrow('sk-speech');
    }
  });

  it('decodes other formats with the decoder it is given', async () => {
    status = 200;
    const speech = new OpenAiSpeech({ ...settings(), openai_tts_response_format: 'mp3' }, 44_100, (bytes, rate) => Promise.resolve(new Float32Array(bytes.byteLength / 100 + rate / 44_100)));
    await expect(speech.speak('One.', new AbortController().signal)).resolves.toHaveLength(49);
  });

  it('a rate limit says when to try again', async () => {
    status = 429;
    retryAfter = '12';
    await expect(new OpenAiSpeech(settings(), 48_000).speak('Hi.', new AbortController().signal)).rejects.toThrow('the speech server is rate-limiting requests (HTTP 429): try again in 12 s and speak again.');
  });

  it('a body that stalls after the headers ends at the time limit, with what to check', async () => {
    answer = 'stall';
    const speech = new OpenAiSpeech(settings(), 48_000, undefined, 300);
    await expect(speech.speak('Hi.', new AbortController().signal)).rejects.toMatchObject({ code: 'timeout', message: 'the speech server did not answer within 0.3 s. Check it is running and not overloaded.' });
  });

  it('a web page in place of pcm is an error, never samples to play', async () => {
    answer = 'page';
    await expect(new OpenAiSpeech(settings(), 48_000).speak('Hi.', new AbortController().signal)).rejects.toMatchObject({
      code: 'bad-answer',
      message: 'the speech server answered with a web page, not pcm audio. Check openai_tts_base_url (it usually ends in /v1).',
    });
  });
});
