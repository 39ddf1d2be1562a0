import { describe, expect, it } from 'vitest';
import type { CaptureEvent } from '../audio/microphoneCapture';
import type { PlaybackProgress } from '../audio/playbackProtocol';
import { exchangeLog, type Exchange } from '../pipeline/exchange';
import type { PipelineEvent } from '../pipeline/pipeline';
import { defaultSettings, type Settings } from '../settings/schema';
import type { RealtimeCallEvent, ServerEvent } from './realtimeCall';
import { MAX_QUEUED_AUDIO_S, RealtimePipeline, callSettings, heardText } from './realtimePipeline';

describe('the Realtime client', () => {
  it('sends the system prompt as the instructions unless talk_instructions is set', () => {
    const settings = { ...defaultSettings(), init_chat_prompt: 'Answer in French.' };
    expect(callSettings(settings).instructions).toBe('Answer in French.');
    expect(callSettings({ ...settings, talk_instructions: 'Be brief.' }).instructions).toBe('Be brief.');
  });

  it('counts the words of a reply as heard as far as the audio that came with them has played, whatever its pace', () => {
    const reply = 'First sentence. Second sentence. Third sentence.';
    // Parts came with 0, 16000 and 32000 samples of audio received before them.
    const marks = [
      { at: 0, length: 15 },
      { at: 16_000, length: 32 },
      { at: 32_000, length: reply.length },
    ];
    const received = 48_000;
    expect(heardText(reply, marks, received, 0)).toBe('');
    // Half of the first part's audio: half its words.
    expect(heardText(reply, marks, received, 8_000)).toBe('First');
    expect(heardText(reply, marks, received, 16_000)).toBe('First sentence.');
    expect(heardText(reply, marks, received, 24_000)).toBe('First sentence. Second');
    expect(heardText(reply, marks, received, 48_000)).toBe(reply);
  });
});

/** What the client said, as the page's projector would receive it, and its exchanges. */
function createSink() {
  const events: PipelineEvent[] = [];
  const exchanges: Exchange[] = [];
  const log = exchangeLog(
    () => exchanges,
    (next) => void exchanges.splice(0, exchanges.length, ...next),
  );
  return {
    sink: { emit: (event: PipelineEvent) => void events.push(event), exchanges: log },
    events,
    exchanges,
    /** The last listening notice said (null: cleared). */
    notice: () => events.findLast((event) => event.kind === 'listening_notice')?.message ?? null,
    /** Listening's last state. */
    listening: () => events.findLast((event) => event.kind === 'listening'),
    samplesPlayed: () => events.reduce((sum, event) => sum + (event.kind === 'assistant_played' ? event.samples : 0), 0),
    finals: () => events.flatMap((event) => (event.kind === 'user_transcript' && event.final ? [[event.turn, event.text] as const] : [])),
  };
}

/** A client connected to a scripted server: the test sends the server's events and plays the speakers' reports. */
async function connected(options: { replySilenceMs?: number; held?: boolean; transport?: Settings['talk_transport'] } = {}) {
  const said = createSink();
  const settings: Settings = { ...defaultSettings(), pipeline: 'realtime', talk_recv_rate: 16_000, push_to_talk: options.held !== undefined, talk_transport: options.transport ?? 'websocket' };
  let onEvent: (event: RealtimeCallEvent) => void = () => undefined;
  let onPlayed: (progress: PlaybackProgress) => void = () => undefined;
  let onFrame: (samples: Float32Array) => void = () => undefined;
  let onCapture: (event: CaptureEvent) => void = () => undefined;
  const ended: string[] = [];
  const queued: { id: number; length: number }[] = [];
  const ducks: boolean[] = [];
  const mutes: boolean[] = [];
  const switched: (string | null)[] = [];
  const sent: Float32Array[] = [];
  const pipeline = new RealtimePipeline(
    said.sink,
    {
      openSpeakers: (played) => {
        onPlayed = played;
        return Promise.resolve({ sampleRate: 16_000, play: (id, samples) => void queued.push({ id, length: samples.length }), duck: (ducked) => void ducks.push(ducked), flush: () => Promise.resolve([]), close: () => undefined });
      },
      openCapture: (_options, frame, events) => {
        onFrame = frame;
        onCapture = events;
        return Promise.resolve({ label: 'fake', stream: null, mute: (muted) => void mutes.push(muted), resume: () => Promise.resolve(), switchMicrophone: (deviceId) => {
            switched.push(deviceId);
            return Promise.resolve();
          }, stop: () => undefined });
      },
      openCall: (_settings, _stream, events) => {
        onEvent = events;
        return Promise.resolve({ sendAudio: (samples) => void sent.push(samples), sendText: () => undefined, close: () => undefined });
      },
      listMicrophones: () => Promise.resolve([]),
    },
    () => settings,
    (message) => void ended.push(message),
    options.replySilenceMs,
  );
  if (options.held !== undefined) pipeline.hold(options.held);
  await pipeline.start(null, new AbortController().signal);
  const server = (event: ServerEvent) => onEvent({ kind: 'server', event });
  return {
    said,
    pipeline,
    switched,
    queued,
    ducks,
    mutes,
    sent,
    server,
    ended,
    frame: (samples: Float32Array) => onFrame(samples),
    capture: (event: CaptureEvent) => onCapture(event),
    audio: (samples: number) => onEvent({ kind: 'audio', responseId: 'r1', samples: new Float32Array(samples) }),
    played: (progress: PlaybackProgress) => onPlayed(progress),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Realtime client keeps the page’s guarantees', () => {
  it('a server that goes quiet after the first word of a reply: the reply ends after the bound, saying so, and keeps what was heard', async () => {
    const { said, server, audio } = await connected({ replySilenceMs: 80 });
    server({ type: 'input_audio_buffer.speech_stopped' });
    server({ type: 'response.created', response: { id: 'r1' } });
    server({ type: 'response.output_audio_transcript.delta', response_id: 'r1', delta: 'Well,' });
    audio(1600);
    await sleep(40);
    expect(said.exchanges[0]).toMatchObject({ status: 'streaming' });
    await sleep(120);
    expect(said.exchanges[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('sent nothing for 0.08 s, so the reply was ended') as string });
  });

  it('a turn or a message the server never answers fails after the bound instead of staying "Thinking"', async () => {
    const { said, pipeline, server } = await connected({ replySilenceMs: 60 });
    server({ type: 'input_audio_buffer.speech_stopped' });
    await sleep(120);
    expect(said.exchanges[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('sent nothing') as string });
    void pipeline.sendText('hello');
    await sleep(120);
    expect(said.exchanges[1]).toMatchObject({ status: 'failed', user: 'hello' });
  });

  it('a reply that keeps coming is not cut, however long it is', async () => {
    const { said, server, audio } = await connected({ replySilenceMs: 80 });
    server({ type: 'input_audio_buffer.speech_stopped' });
    server({ type: 'response.created', response: { id: 'r1' } });
    for (let part = 0; part < 6; part++) {
      audio(1600);
      await sleep(30);
    }
    server({ type: 'response.done', response: { id: 'r1', status: 'completed' } });
    await sleep(150);
    expect(said.exchanges[0]).toMatchObject({ status: 'completed' });
  });

  it('a transcript that comes after the next turn has started finds its own turn by its item id', async () => {
    const { said, server } = await connected();
    server({ type: 'input_audio_buffer.speech_started', item_id: 'item-a' });
    server({ type: 'input_audio_buffer.speech_stopped', item_id: 'item-a' });
    server({ type: 'input_audio_buffer.speech_started', item_id: 'item-b' });
    server({ type: 'conversation.item.input_audio_transcription.completed', item_id: 'item-a', transcript: 'First question.' });
    server({ type: 'input_audio_buffer.speech_stopped', item_id: 'item-b' });
    server({ type: 'conversation.item.input_audio_transcription.completed', item_id: 'item-b', transcript: 'Second question.' });
    expect(said.exchanges.map((exchange) => exchange.user)).toEqual(['First question.', 'Second question.']);
    expect(said.finals()).toEqual([
      [1, 'First question.'],
      [2, 'Second question.'],
    ]);
  });

  it('reply audio is queued at most two minutes ahead of what has played; the rest is dropped with a notice', async () => {
    const { said, queued, server, audio } = await connected();
    server({ type: 'input_audio_buffer.speech_stopped' });
    server({ type: 'response.created', response: { id: 'r1' } });
    // Three minutes at the speakers' 16 kHz, sent at once.
    for (let second = 0; second < 180; second++) audio(16_000);
    const queuedSamples = queued.reduce((sum, chunk) => sum + chunk.length, 0);
    expect(queuedSamples).toBeLessThanOrEqual(MAX_QUEUED_AUDIO_S * 16_000);
    expect(queuedSamples).toBeGreaterThan((MAX_QUEUED_AUDIO_S - 1) * 16_000);
    expect(said.notice()).toContain('more than 2 minutes of reply audio');
  });

  it('paused audio, a microphone replaced by the default one and a microphone lost are said as when the page listens itself', async () => {
    const { said, ended, capture } = await connected();
    capture({ kind: 'suspended', message: 'The browser paused audio, so nothing is heard. Click Resume to listen again.' });
    expect(said.listening()).toMatchObject({ status: 'suspended', detail: 'The browser paused audio, so nothing is heard. Click Resume to listen again.' });
    capture({ kind: 'running' });
    expect(said.listening()).toMatchObject({ status: 'listening', detail: null });
    capture({ kind: 'switched', message: 'The microphone was disconnected; listening continues on the default microphone.' });
    expect(said.events.at(-1)).toEqual({ kind: 'microphone_switched', message: 'The microphone was disconnected; listening continues on the default microphone.' });
    capture({ kind: 'lost', message: 'The microphone was disconnected and no other one could be opened: none.' });
    expect(ended).toEqual(['The microphone was disconnected and no other one could be opened: none.']);
  });

  it('a microphone chosen while connected is heard at once over WebSocket; over WebRTC the page says to start again', async () => {
    const { pipeline, switched } = await connected();
    await pipeline.selectMicrophone('usb');
    expect(switched).toEqual(['usb']);
    const webRtc = await connected({ transport: 'webrtc' });
    await expect(webRtc.pipeline.selectMicrophone('usb')).rejects.toThrow('Press Stop, then Start');
    expect(webRtc.switched).toEqual([]);
  });

  it('Stop while the server has not answered ends the exchange with why', async () => {
    const { said, pipeline } = await connected();
    void pipeline.sendText('hello');
    pipeline.stop();
    expect(said.exchanges[0]).toMatchObject({ status: 'failed', error: 'Listening was stopped before the Realtime server answered.' });
  });

  it('push to talk: while not held the microphone is muted and only silence is sent; held, the voice goes out', async () => {
    const { pipeline, mutes, sent, frame } = await connected({ held: false });
    expect(mutes.at(-1)).toBe(true);
    frame(new Float32Array(512).fill(0.3));
    expect(sent.at(-1)?.every((sample) => sample === 0)).toBe(true);
    pipeline.hold(true);
    expect(mutes.at(-1)).toBe(false);
    frame(new Float32Array(512).fill(0.3));
    expect(sent.at(-1)?.every((sample) => sample === 0.3 || Math.abs(sample - 0.3) < 1e-6)).toBe(true);
    pipeline.hold(false);
    expect(mutes.at(-1)).toBe(true);
  });
});

describe('the Realtime client’s replies', () => {
  it('counts what the speakers played once, however often they report a chunk, and keeps only the words heard', async () => {
    const { said, pipeline, queued, server, audio, played } = await connected();
    server({ type: 'input_audio_buffer.speech_stopped' });
    server({ type: 'response.created', response: { id: 'r1' } });
    server({ type: 'response.output_audio_transcript.delta', response_id: 'r1', delta: 'First part.' });
    audio(16_000);
    server({ type: 'response.output_audio_transcript.delta', response_id: 'r1', delta: ' Second part.' });
    audio(16_000);
    const [first] = queued;
    if (!first) throw new Error('no audio reached the speakers');
    // The same chunk reported three times, as far as 100, 200 and 300 samples: 300 played, not 600.
    for (const far of [100, 200, 300]) played({ reports: [{ id: first.id, played: far, ended: false }], level: 0.1, cueSamples: 0 });
    expect(said.samplesPlayed()).toBe(300);
    // The first part's second of audio played to its end, and a little of the second part's.
    const firstSecond = queued.slice(0, 50);
    played({ reports: [...firstSecond.map((chunk) => ({ id: chunk.id, played: chunk.length, ended: true })), { id: queued[50]?.id ?? 0, played: 100, ended: false }], level: 0.1, cueSamples: 0 });
    expect(said.samplesPlayed()).toBe(16_100);
    pipeline.stop();
    expect(said.exchanges[0]).toMatchObject({ status: 'interrupted', heard: 'First part.' });
  });

  it('after Stop, a late report from the speakers does not make the assistant speak again', async () => {
    const { said, pipeline, queued, server, audio, played } = await connected();
    server({ type: 'input_audio_buffer.speech_stopped' });
    server({ type: 'response.created', response: { id: 'r1' } });
    server({ type: 'response.output_audio_transcript.delta', response_id: 'r1', delta: 'A long reply.' });
    audio(16_000);
    played({ reports: [{ id: queued[0]?.id ?? 0, played: 10, ended: false }], level: 0.1, cueSamples: 0 });
    pipeline.stop();
    played({ reports: [{ id: queued[1]?.id ?? 0, played: 10, ended: false }], level: 0.1, cueSamples: 0 });
    expect(said.events.findLast((event) => event.kind === 'assistant_audio')).toEqual({ kind: 'assistant_audio', speaking: false });
  });

  it('leaves a finished reply as it was when listening stops', async () => {
    const { said, pipeline, server } = await connected();
    server({ type: 'input_audio_buffer.speech_stopped' });
    server({ type: 'response.created', response: { id: 'r1' } });
    server({ type: 'response.output_audio_transcript.delta', response_id: 'r1', delta: 'All of it.' });
    server({ type: 'response.done', response: { id: 'r1', status: 'completed' } });
    pipeline.stop();
    expect(said.exchanges[0]).toMatchObject({ status: 'completed', heard: null, reply: 'All of it.' });
  });
});

describe('the Realtime server’s backchannel events', () => {
  it('a speech candidate over the reply holds it lowered; a rejected one brings it back, and the reply goes on', async () => {
    const { said, queued, ducks, server, audio, played } = await connected();
    server({ type: 'input_audio_buffer.speech_stopped' });
    server({ type: 'response.created', response: { id: 'r1' } });
    server({ type: 'response.output_audio_transcript.delta', response_id: 'r1', delta: 'First part.' });
    audio(16_000);
    // The speakers report the reply sounding.
    played({ reports: [{ id: queued[0]?.id ?? 0, played: 10, ended: false }], level: 0.1, cueSamples: 0 });
    server({ type: 'input_audio_buffer.speech_candidate_started', interrupt_response: true });
    expect(ducks).toEqual([true]);
    server({ type: 'input_audio_buffer.speech_candidate_rejected', interrupt_response: true });
    expect(ducks).toEqual([true, false]);
    const before = queued.length;
    audio(16_000);
    // Nothing was flushed: the rest of the reply is queued after what was there.
    expect(queued.length).toBeGreaterThan(before);
    expect(said.exchanges).toHaveLength(1);
    expect(said.events.some((event) => event.kind === 'interrupted')).toBe(false);
  });

  it('a candidate while nothing plays, or one the server will not interrupt for, changes nothing', async () => {
    const { ducks, queued, server, audio, played } = await connected();
    server({ type: 'input_audio_buffer.speech_candidate_started', interrupt_response: true });
    server({ type: 'input_audio_buffer.speech_stopped' });
    server({ type: 'response.created', response: { id: 'r1' } });
    audio(16_000);
    played({ reports: [{ id: queued[0]?.id ?? 0, played: 10, ended: false }], level: 0.1, cueSamples: 0 });
    server({ type: 'input_audio_buffer.speech_candidate_started', interrupt_response: false });
    expect(ducks).toEqual([]);
  });
});

describe('the Realtime client’s start', () => {
  it('closes the speakers when the microphone cannot be opened, and says why', async () => {
    let closed = 0;
    let calls = 0;
    const pipeline = new RealtimePipeline(
      createSink().sink,
      {
        openSpeakers: () => Promise.resolve({ sampleRate: 48_000, play: () => undefined, duck: () => undefined, flush: () => Promise.resolve([]), close: () => {
          closed++;
        } }),
        openCapture: () => Promise.reject(new Error('The microphone is blocked for this page.')),
        openCall: () => {
          calls++;
          return Promise.reject(new Error('not reached'));
        },
        listMicrophones: () => Promise.resolve([]),
      },
      () => ({ ...defaultSettings(), pipeline: 'realtime' }),
      () => undefined,
    );
    await expect(pipeline.start(null, new AbortController().signal)).rejects.toThrow('The microphone is blocked');
    pipeline.stop();
    expect(closed).toBe(1);
    expect(calls).toBe(0);
  });
});
