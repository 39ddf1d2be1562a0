/**
 * The Realtime call against the local Realtime server, over a real WebSocket: what the page sends
 * (session, audio, key), and what it makes of the server's answers, its refusals and its absence.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { RealtimeCall, callsUrl, type RealtimeCallEvent, type RealtimeCallSettings } from './realtimeCall';
import { startRealtimeServer, type RealtimeServer } from './realtimeServer.testSupport';

const ports = { createWebSocket: (url: string, protocols: string[]) => new NodeWebSocket(url, protocols) as unknown as WebSocket };
let server: RealtimeServer | null = null;
const calls: RealtimeCall[] = [];

afterEach(async () => {
  calls.splice(0).forEach((call) => call.close());
  await server?.close();
  server = null;
});

function settings(url: string, change: Partial<RealtimeCallSettings> = {}): RealtimeCallSettings {
  return { url, transport: 'websocket', model: 'local', apiKey: null, voice: 'af_heart', instructions: 'Be brief.', sendRate: 16_000, recvRate: 24_000, retryTimeoutS: 0, ...change };
}

async function open(change: Partial<RealtimeCallSettings> = {}, signal = new AbortController().signal) {
  const events: RealtimeCallEvent[] = [];
  const call = await RealtimeCall.open(settings(server?.url ?? '', change), ports, (event) => events.push(event), signal);
  calls.push(call);
  return { call, events };
}

/** Speech-loud noise for `seconds`, then `silenceS` of silence, sent as the microphone would (32 ms frames at 16 kHz). */
async function speak(call: RealtimeCall, seconds: number, silenceS: number): Promise<void> {
  const frame = 512;
  for (let sent = 0; sent < (seconds + silenceS) * 16_000; sent += frame) {
    const loud = sent < seconds * 16_000;
    call.sendAudio(Float32Array.from({ length: frame }, (_, i) => (loud ? 0.3 * Math.sin(i / 3) : 0)));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}

const until = async (check: () => boolean, ms = 5000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const types = (events: RealtimeCallEvent[]) => events.flatMap((event) => (event.kind === 'server' ? [event.event.type] : []));

describe('RealtimeCall', () => {
  it('offers the page’s tools in session.update; a function call runs through them, and its output goes back with response.create', async () => {
    server = await startRealtimeServer();
    const ran: { id: string; name: string; arguments: string }[] = [];
    const tools = {
      specs: [{ name: 'get_weather', description: 'The weather in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
      run: (call: { id: string; name: string; arguments: string }) => {
        ran.push(call);
        return Promise.resolve('Sunny in Lyon');
      },
    };
    const { call, events } = await open({ tools });
    await until(() => server?.sessions[0]?.tools.length === 1);
    expect(server.sessions[0]?.tools).toEqual(['get_weather']);
    call.sendText('Weather? [tool get_weather {"city": "Lyon"}]');
    await until(() => types(events).filter((type) => type === 'response.done').length === 2);
    expect(ran).toEqual([{ id: expect.stringMatching(/^call_/) as unknown, name: 'get_weather', arguments: '{"city":"Lyon"}' }]);
    const session = server.sessions[0];
    expect(session?.toolOutputs).toEqual([{ callId: ran[0]?.id, output: 'Sunny in Lyon' }]);
    // The output first, then the request for the reply that uses it.
    expect(session?.events.slice(-2)).toEqual(['conversation.item.create', 'response.create']);
    const transcript = events.flatMap((event) => (event.kind === 'server' && event.event.type === 'response.output_audio_transcript.done' ? [String(event.event.transcript)] : []));
    expect(transcript).toEqual(['The tool said: Sunny in Lyon.']);
  });


  it('opens a session with the instructions, the voice and the rates, and sends no key when none was entered', async () => {
    server = await startRealtimeServer();
    await open();
    await until(() => server?.sessions[0]?.instructions !== null);
    const [session] = server.sessions;
    expect(session?.instructions).toBe('Be brief.');
    expect(session?.voice).toBe('af_heart');
    expect([session?.inputRate, session?.outputRate]).toEqual([16_000, 24_000]);
    expect(session?.protocols).toContain('realtime');
    expect(session?.apiKey).toBeNull();
  });

  it('sends an entered key to that server only as the Realtime subprotocol', async () => {
    server = await startRealtimeServer();
    await open({ apiKey: 'sk-local-1' });
    await until(() => server?.sessions.length === 1);
    expect(server.sessions[0]?.apiKey).toBe('sk-local-1');
  });

  it('hears a spoken turn through the server: transcript events, a reply with its words and audio, and the server’s latency', async () => {
    server = await startRealtimeServer({ replySeconds: 0.5 });
    const { call, events } = await open();
    await speak(call, 1, 0.8);
    await until(() => types(events).includes('response.done'));
    expect(types(events)).toEqual(expect.arrayContaining(['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'conversation.item.input_audio_transcription.completed', 'response.output_audio_transcript.delta']));
    const audio = events.flatMap((event) => (event.kind === 'audio' ? [event.samples] : []));
    expect(audio.reduce((sum, samples) => sum + samples.length, 0)).toBe(0.5 * 24_000);
    expect(Math.max(...(audio[0] ?? []).map(Math.abs))).toBeGreaterThan(0.1);
    const done = events.find((event) => event.kind === 'server' && event.event.type === 'response.done');
    expect(JSON.stringify(done)).toContain('speech_to_speech.turn_latency');
  });

  it('stops the reply when the user speaks over it: the audio goes silent, the reply is cut where it was heard', async () => {
    server = await startRealtimeServer({ replySeconds: 10 });
    const { call, events } = await open();
    await speak(call, 1, 0.8);
    await until(() => events.some((event) => event.kind === 'audio'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await speak(call, 0.3, 0);
    await until(() => events.some((event) => event.kind === 'interrupted'));
    await until(() => (server?.sessions[0]?.truncations.length ?? 0) > 0);
    expect(server.sessions[0]?.responses[0]?.status).toBe('cancelled');
  });

  it('says the server is full when it refuses a session with 1008 session_limit_reached', async () => {
    server = await startRealtimeServer({ maxSessions: 1 });
    await open();
    await expect(open()).rejects.toThrow(/is full: every pipeline it runs is in a conversation \(session_limit_reached\)/);
  });

  it('waits for a server that is not up yet, counting down, and connects once it is', async () => {
    server = await startRealtimeServer({ accepting: false });
    const started = server;
    setTimeout(() => (started.options = { ...started.options, accepting: true }), 1500);
    const { events } = await open({ retryTimeoutS: 10 });
    const waiting = events.filter((event) => event.kind === 'waiting');
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting[0]).toMatchObject({ kind: 'waiting', secondsLeft: 10 });
    expect(server.sessions).toHaveLength(1);
  });

  it('gives up when the wait is over, saying what to check', async () => {
    server = await startRealtimeServer({ accepting: false });
    const events: RealtimeCallEvent[] = [];
    await expect(RealtimeCall.open(settings(server.url, { retryTimeoutS: 1.5 }), ports, (event) => events.push(event), new AbortController().signal)).rejects.toThrow(
      /could not be reached in 1.5 s .*Check that speech-to-speech serve runs there/,
    );
    expect(events.filter((event) => event.kind === 'waiting').length).toBeGreaterThan(0);
  });

  it('stops waiting at once on Stop', async () => {
    server = await startRealtimeServer({ accepting: false });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stopped')), 300);
    const started = Date.now();
    await expect(open({ retryTimeoutS: 30 }, controller.signal)).rejects.toThrow('stopped');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('Stop ends a connection attempt under way, not only the wait between two', async () => {
    server = await startRealtimeServer({ greets: false });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stopped')), 300);
    const started = Date.now();
    await expect(open({ retryTimeoutS: 30 }, controller.signal)).rejects.toThrow('stopped');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a key a WebSocket cannot carry, without sending or repeating it', async () => {
    server = await startRealtimeServer();
    const attempt = open({ apiKey: 'sk-secret with space' });
    await expect(attempt).rejects.toThrow('talk_api_key has characters a WebSocket cannot carry');
    await expect(attempt).rejects.not.toThrow('sk-secret');
    expect(server.sessions).toEqual([]);
  });

  it('reports a connection dropped mid-reply, once', async () => {
    server = await startRealtimeServer({ replySeconds: 5, dropAfterAudioMs: 300 });
    const { call, events } = await open();
    await speak(call, 1, 0.8);
    await until(() => events.some((event) => event.kind === 'ended'));
    const ended = events.filter((event) => event.kind === 'ended');
    expect(ended.map((event) => event.kind === 'ended' && event.reason)).toEqual(['dropped']);
    expect(ended[0]?.kind === 'ended' && ended[0].message).toContain('was lost. What you heard is kept');
  });

  it('finds the WebRTC handshake beside the WebSocket endpoint', () => {
    expect(callsUrl('ws://gpu-box:8765/v1/realtime')).toBe('http://gpu-box:8765/v1/realtime/calls');
    expect(callsUrl('wss://s2s.example.org/v1/realtime/?x=1')).toBe('https://s2s.example.org/v1/realtime/calls');
  });
});
