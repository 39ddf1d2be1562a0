import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlaybackProgress } from '../audio/playbackProtocol';
import type { LoadProgress } from '../models/loadProgress';
import type { SpeakersPort } from '../pipeline/assistantVoice';
import { SECRET_KEYS, defaultSettings, type Settings } from '../settings/schema';
import { MemoryStorage } from '../settings/memoryStorage.testSupport';
import { waitingDestinations } from '../settings/hostConsent';
import { createSettingsStore } from '../settings/store';
import { playQueued, type QueuedChunk } from '../pipeline/fakeSpeakers.testSupport';
import { WORD_MS, scriptedModel } from '../pipeline/scriptedModel.testSupport';
import { LanguageModels, type Tool } from '../stages/llm';
import type { Transcriber, TranscriberEvent, TranscriberSettings, TurnAudio } from '../stages/stt';
import type { ListenerConfig, ListenerEvent, TurnEvent } from '../stages/vad';
import { createConversationStore } from './conversationStore';
import { createListeningStore } from './listeningStore';
import { createNoticesStore } from './noticesStore';
import type { ListeningLock } from './listeningLock';
import type { ToolSource } from './pageTools';
import { Session, type ListenerControl, type SessionStages } from './session';
import { createTranscriptStore } from './transcriptStore';
import { createVoiceStore } from './voiceStore';

/**
 * The session as conversation scripts, under fake time: a fake microphone and VAD the script
 * speaks through (turn events), a fake speech to text the script answers, a scripted language
 * model (one word every 10 ms) behind the real LanguageModels, a voice of 1000 samples per word,
 * and speakers that play only when the script says so.
 */
const SECRET = 'sk-session-secret';

class FakeListener implements ListenerControl {
  readonly switched: (string | null)[] = [];
  readonly muted: boolean[] = [];
  readonly held: boolean[] = [];
  ended = 0;
  stopped = false;
  switchMicrophone(deviceId: string | null): Promise<void> {
    this.switched.push(deviceId);
    return Promise.resolve();
  }
  mute(muted: boolean): void {
    this.muted.push(muted);
  }
  resume(): Promise<void> {
    return Promise.resolve();
  }
  endTurn(): Promise<void> {
    this.ended++;
    return Promise.resolve();
  }
  hold(holding: boolean): Promise<void> {
    this.held.push(holding);
    return Promise.resolve();
  }
  stop(): void {
    this.stopped = true;
  }
}

class FakeTranscriber implements Transcriber {
  readonly heard: TurnAudio[] = [];
  disposed = false;
  constructor(private readonly onEvent: (event: TranscriberEvent) => void) {}
  transcribe(audio: TurnAudio): void {
    this.heard.push(audio);
  }
  dispose(): void {
    this.disposed = true;
  }
  ready(): void {
    this.onEvent({ kind: 'ready', description: 'whisper, fake' });
  }
  fail(message: string): void {
    this.onEvent({ kind: 'error', code: 'server', message, fatal: false });
  }
  /** The worker behind it stopped after it was ready. */
  stop(code: string, message: string): void {
    this.onEvent({ kind: 'stopped', code, message });
  }
  progress(progress: LoadProgress): void {
    this.onEvent({ kind: 'progress', progress });
  }
  final(turn: number, text: string, language = 'en'): void {
    this.onEvent({ kind: 'transcript', turn, revision: 0, mode: 'final', text, language, inferenceMs: 100, audioMs: 1000 });
  }
}

/** Tabs of one browser: the listening lock they share, as Web Locks would hold it. */
class TabsLock {
  private held: { readonly tab: number; readonly onLost: () => void } | null = null;

  forTab(tab: number): ListeningLock {
    return {
      acquire: (onLost, takeOver) => {
        if (this.held && this.held.tab !== tab) {
          if (!takeOver) return Promise.resolve(false);
          const lost = this.held.onLost;
          this.held = null;
          lost();
        }
        this.held = { tab, onLost };
        return Promise.resolve(true);
      },
      release: () => {
        if (this.held?.tab === tab) this.held = null;
      },
      holder: () => `Tab ${this.held?.tab ?? '?'} is listening.`,
    };
  }
}

function world(replies: Record<string, string>, overrides: Partial<Settings> = {}, lock: ListeningLock = new TabsLock().forTab(1), tools?: ToolSource) {
  const settings = createSettingsStore({ storage: () => new MemoryStorage(), report: () => undefined, page: 'https://app.example/' });
  settings.getState().replaceSettings({ ...defaultSettings(), init_chat_prompt: 'Be brief.', stream_batch_sentences: 1, ...overrides });
  // The hosts the settings name are the user's own here.
  for (const { origin } of waitingDestinations(settings.getState().settings, settings.getState().hostConsent, 'https://app.example/')) settings.getState().allowHost(origin);
  const stores = { settings, notices: createNoticesStore(), listening: createListeningStore(), transcripts: createTranscriptStore(), conversation: createConversationStore(), voice: createVoiceStore() };
  const model = scriptedModel(replies, false);
  const { requests } = model;
  const loads: string[] = [];
  const listeners: FakeListener[] = [];
  const configs: ListenerConfig[] = [];
  const starts: string[] = [];
  const transcribers: FakeTranscriber[] = [];
  const transcriberSettings: TranscriberSettings[] = [];
  const replyLanguages: (string | null)[] = [];
  const ducks: boolean[] = [];
  const cues: boolean[] = [];
  const queue: QueuedChunk[] = [];
  let emit: (event: ListenerEvent) => void = () => undefined;
  let onPlayed: (progress: PlaybackProgress) => void = () => undefined;
  let listenerReady: Promise<void> = Promise.resolve();
  let transcriberReady: Promise<void> = Promise.resolve();
  let voiceResets = 0;

  const speakers: SpeakersPort = {
    sampleRate: 48_000,
    suspended: false,
    play: (id, samples) => queue.push({ id, length: samples.length, played: 0 }),
    flush: () => {
      const reports = queue.map((chunk) => ({ id: chunk.id, played: chunk.played, ended: false }));
      queue.length = 0;
      return Promise.resolve(reports);
    },
    duck: (ducked) => ducks.push(ducked),
    cue: (on) => cues.push(on),
    setSink: () => Promise.resolve(),
    resume: () => Promise.resolve(),
    onStateChange: () => undefined,
  };
  const stages: SessionStages = {
    startListener: async (config, onEvent, signal) => {
      configs.push(config);
      starts.push(`start ${configs.length}`);
      await listenerReady;
      emit = onEvent;
      const listener = new FakeListener();
      listeners.push(listener);
      starts.push(`opened ${configs.length}${signal.aborted ? ' (aborted)' : ''}`);
      onEvent({ kind: 'listening', sampleRate: 44_100, microphone: 'fake' });
      return listener;
    },
    listMicrophones: () => Promise.resolve([{ deviceId: 'usb', label: 'USB microphone' }]),
    listSpeakers: () => Promise.resolve(null),
    realtime: {
      openCapture: () => Promise.reject(new Error('a Realtime server is not in these scripts')),
      openSpeakers: () => Promise.reject(new Error('a Realtime server is not in these scripts')),
      openCall: () => Promise.reject(new Error('a Realtime server is not in these scripts')),
    },
    startTranscriber: async (picked, onEvent) => {
      transcriberSettings.push(picked);
      await transcriberReady;
      const transcriber = new FakeTranscriber(onEvent);
      transcribers.push(transcriber);
      return transcriber;
    },
    languageModels: (onStatus) =>
      new LanguageModels(onStatus, {
        transformers: (picked) => {
          loads.push(picked.model_name ?? 'default');
          return Promise.resolve(model);
        },
        'web-llm': () => Promise.reject(new Error('web-llm is not in these scripts')),
      }),
    voiceModels: () => ({
      forReply: (_settings, language) => {
        replyLanguages.push(language);
        return { speak: (text) => Promise.resolve(new Float32Array(text.split(' ').length * 1000)) };
      },
      prepare: () => undefined,
      resetLanguage: () => {
        voiceResets++;
      },
    }),
    openSpeakers: (played) => {
      onPlayed = played;
      return Promise.resolve(speakers);
    },
    browserVoice: () => null,
    lock,
    page: { href: 'http://localhost/', crossOriginIsolated: false },
    ...(tools ? { tools } : {}),
  };
  const session = new Session(stores, stages);

  /** The speakers play `samples` of what is queued, reporting as the worklet does. */
  const play = (samples: number) => {
    onPlayed({ reports: playQueued(queue, samples).map(({ report }) => report), level: 0.1, cueSamples: 0 });
  };
  const turn = (event: TurnEvent) => emit({ kind: 'turn', event });
  /** The user says something: speech, a final segment, and the turn released. */
  const speak = (number: number) => {
    turn({ kind: 'speech_started', turn: number, revision: 0, startMs: 0, reopened: false });
    turn({ kind: 'speech_stopped', turn: number, revision: 0, endMs: 1000, durationS: 1 });
    turn({ kind: 'segment', turn: number, revision: 0, audio: new Float32Array(16_000), startMs: 0, endMs: 1000, speechStartMs: 0, speechEndMs: 900, smartTurn: null, delayMs: 0, graceMs: 0 });
    turn({ kind: 'turn_releasable', turn: number, revision: 0 });
  };
  const frame = (probability: number) => emit({ kind: 'frame', index: 0, timeMs: 0, rms: 0.1, probability, inferenceMs: 0.2 });
  return {
    session,
    stores,
    settings,
    requests,
    loads,
    listeners,
    configs,
    starts,
    transcribers,
    transcriberSettings,
    replyLanguages,
    ducks,
    cues,
    queue,
    play,
    speak,
    turn,
    frame,
    emit: (event: ListenerEvent) => emit(event),
    holdListener: (until: Promise<void>) => {
      listenerReady = until;
    },
    holdTranscriber: (until: Promise<void>) => {
      transcriberReady = until;
    },
    voiceResets: () => voiceResets,
    exchanges: () => stores.conversation.getState().exchanges,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('Session', () => {
  it('start listens with only the settings listening reads; a spoken turn is transcribed, answered and spoken', async () => {
    const w = world({ 'what time is it': 'It is noon.' });
    await w.session.start();
    expect(w.stores.listening.getState().status).toBe('listening');
    expect(w.stores.listening.getState().microphones).toEqual([{ deviceId: 'usb', label: 'USB microphone' }]);
    expect(w.configs[0]?.turnDetection).toEqual(expect.objectContaining({ thresh: defaultSettings().thresh, min_silence_ms: defaultSettings().min_silence_ms }));
    expect(Object.keys(w.configs[0]?.turnDetection ?? {})).not.toContain('init_chat_prompt');
    w.speak(1);
    expect(w.transcribers[0]?.heard.map((audio) => [audio.turn, audio.mode])).toEqual([[1, 'final']]);
    w.transcribers[0]?.final(1, 'what time is it');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(w.exchanges()[0]).toMatchObject({ turn: 1, user: 'what time is it', reply: 'It is noon. ', status: 'completed' });
    expect(w.stores.transcripts.getState().turns[0]).toMatchObject({ turn: 1, final: 'what time is it', language: 'en' });
    // Loaded while listening started, before the first reply needed it.
    expect(w.loads).toEqual(['default']);
    expect(w.queue.length).toBeGreaterThan(0);
    expect(w.stores.voice.getState().assistantSpeaking).toBe(true);
    w.play(100_000);
    expect(w.stores.voice.getState()).toMatchObject({ assistantSpeaking: false, samplesPlayed: 3000 });
  });

  it('Stop while listening is still starting: the microphone that opens late is closed, and a second Start starts one listener', async () => {
    const w = world({});
    let open: () => void = () => undefined;
    w.holdListener(new Promise((resolve) => (open = resolve)));
    const first = w.session.start();
    const second = w.session.start();
    await settle();
    expect(w.stores.listening.getState().status).toBe('starting');
    w.session.stop();
    expect(w.stores.listening.getState().status).toBe('idle');
    open();
    await Promise.all([first, second]);
    expect(w.configs).toHaveLength(1);
    expect(w.listeners[0]?.stopped).toBe(true);
    // Speech to text stays loaded for the next start.
    expect(w.transcribers[0]?.disposed).toBe(false);
    expect(w.stores.listening.getState().status).toBe('idle');
  });

  it('speech to text prepared at page open (a cached model) is the one Start uses, ready at once, and stays loaded after Stop', async () => {
    const w = world({ 'Hello.': 'Hi there.' });
    w.session.prepareTranscription();
    await settle();
    expect(w.transcribers).toHaveLength(1);
    w.transcribers[0]?.ready();
    // Not listening: nothing is shown of it yet.
    expect(w.stores.transcripts.getState().status).toBe('off');
    await w.session.start();
    await settle();
    expect(w.transcribers).toHaveLength(1);
    expect(w.stores.transcripts.getState().status).toBe('ready');
    w.speak(1);
    expect(w.transcribers[0]?.heard.map((audio) => audio.turn)).toEqual([1]);
    w.session.stop();
    await w.session.start();
    await settle();
    expect(w.transcribers).toHaveLength(1);
    expect(w.transcribers[0]?.disposed).toBe(false);
    expect(w.stores.transcripts.getState().status).toBe('ready');
    // Other speech-to-text settings need another one.
    w.session.stop();
    w.settings.getState().setSetting('stt_model_name', 'onnx-community/whisper-tiny.en');
    await w.session.start();
    await settle();
    expect(w.transcribers).toHaveLength(2);
    expect(w.transcribers[0]?.disposed).toBe(true);
    expect(w.transcriberSettings.at(-1)?.stt_model_name).toBe('onnx-community/whisper-tiny.en');
  });

  it('speech to text that stops after loading is started again by itself once (turns meanwhile wait for it), then offered with a button', async () => {
    const w = world({ 'Hello.': 'Hi there.' });
    await w.session.start();
    await settle();
    w.transcribers[0]?.stop('crashed', 'The speech-to-text worker stopped (out of memory).');
    await settle();
    expect(w.transcribers[0]?.disposed).toBe(true);
    expect(w.transcribers).toHaveLength(2);
    expect(w.stores.notices.getState().notices.at(-1)).toMatchObject({ level: 'warning', title: 'The speech to text stopped and is starting again' });
    w.speak(1);
    expect(w.transcribers[1]?.heard.map((audio) => audio.turn)).toEqual([1]);

    w.transcribers[1]?.stop('unresponsive', 'The speech-to-text worker said nothing for 60 s while it had work, so it was stopped.');
    await settle();
    expect(w.transcribers).toHaveLength(2);
    expect(w.stores.transcripts.getState().status).toBe('failed');
    const offered = w.stores.notices.getState().notices.at(-1);
    expect(offered).toMatchObject({ level: 'error', title: 'The speech to text stopped again' });
    offered?.actions[0]?.run();
    await settle();
    expect(w.transcribers).toHaveLength(3);
  });

  it('listening whose worker crashes starts again by itself once; the next time it says so and waits', async () => {
    const w = world({});
    await w.session.start();
    await settle();
    w.emit({ kind: 'error', code: 'crashed', message: 'The voice activity worker stopped (out of memory).', fatal: true });
    await settle();
    expect(w.listeners.map((listener) => listener.stopped)).toEqual([true, false]);
    expect(w.stores.listening.getState().status).toBe('listening');
    w.emit({ kind: 'error', code: 'crashed', message: 'The voice activity worker stopped (out of memory).', fatal: true });
    await settle();
    expect(w.listeners).toHaveLength(2);
    expect(w.stores.listening.getState()).toMatchObject({ status: 'failed', detail: expect.stringContaining('out of memory') as string });
  });

  it('two tabs: the second does not listen while the first does, says who does and takes over when asked; the first then stops and says so', async () => {
    const tabs = new TabsLock();
    const first = world({}, {}, tabs.forTab(1));
    const second = world({}, {}, tabs.forTab(2));
    await first.session.start();
    await settle();
    await second.session.start();
    await settle();
    expect(second.starts).toEqual([]);
    expect(second.stores.listening.getState().status).toBe('idle');
    const offer = second.stores.notices.getState().notices.at(-1);
    expect(offer).toMatchObject({ title: 'Another tab is listening', details: ['Tab 1 is listening. Only one tab listens at a time, so nothing is heard or answered twice.'] });
    offer?.actions[0]?.run();
    await settle();
    expect(second.stores.listening.getState().status).toBe('listening');
    expect(second.stores.notices.getState().notices.map((notice) => notice.title)).not.toContain('Another tab is listening');
    expect(first.listeners[0]?.stopped).toBe(true);
    expect(first.stores.listening.getState().status).toBe('idle');
    expect(first.stores.notices.getState().notices.at(-1)).toMatchObject({ title: 'Listening moved to another tab' });
    // Stopping lets the lock go: the first tab listens again without taking over.
    second.session.stop();
    await first.session.start();
    await settle();
    expect(first.stores.listening.getState().status).toBe('listening');
  });

  it('Stop before the microphone was asked for: none is opened', async () => {
    const w = world({});
    const started = w.session.start();
    w.session.stop();
    await started;
    expect(w.starts).toEqual([]);
    expect(w.stores.listening.getState().status).toBe('idle');
  });

  it('Start, Stop, Start while loading: the second start waits for the first to let go; one listener lives, with one reply per utterance', async () => {
    const w = world({ 'Hello.': 'Hi there.' });
    let open: () => void = () => undefined;
    w.holdListener(new Promise((resolve) => (open = resolve)));
    const first = w.session.start();
    await settle();
    w.session.stop();
    const second = w.session.start();
    await settle();
    // The second start has not asked for a microphone yet: the first still holds its start.
    expect(w.starts).toEqual(['start 1']);
    open();
    await Promise.all([first, second]);
    expect(w.starts).toEqual(['start 1', 'opened 1 (aborted)', 'start 2', 'opened 2']);
    expect(w.listeners.map((listener) => listener.stopped)).toEqual([true, false]);
    expect(w.stores.listening.getState().status).toBe('listening');
    // The live listener's utterance is answered once.
    w.speak(1);
    w.transcribers.at(-1)?.final(1, 'Hello.');
    await vi.advanceTimersByTimeAsync(500);
    expect(w.exchanges().map((exchange) => exchange.user)).toEqual(['Hello.']);
  });

  it('a microphone chosen while listening switches the stream; nothing restarts or reloads', async () => {
    const w = world({});
    await w.session.start();
    await w.session.selectMicrophone('usb');
    expect(w.listeners[0]?.switched).toEqual(['usb']);
    expect(w.configs).toHaveLength(1);
    expect(w.transcribers).toHaveLength(1);
    expect(w.transcribers[0]?.disposed).toBe(false);
    expect(w.stores.listening.getState().microphoneId).toBe('usb');
  });

  it('the user speaking over the reply ducks it at once; words that are no backchannel stop it, and the reply keeps what was heard', async () => {
    const w = world({ hello: 'A one. B two. C three.', 'Stop. Tell me about Mars instead.': 'Mars.' });
    await w.session.start();
    w.speak(1);
    w.transcribers[0]?.final(1, 'hello');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    w.play(2000 + 1000);
    await settle();
    w.ducks.length = 0;
    w.frame(0.9);
    await settle();
    expect(w.ducks).toEqual([true]);
    // A false start: the volume comes back.
    await vi.advanceTimersByTimeAsync(800);
    expect(w.ducks).toEqual([true, false]);
    w.frame(0.9);
    w.speak(2);
    await settle();
    // Confirmed speech over the reply may be a backchannel: the reply plays on, lowered, until its words come.
    expect(w.exchanges()[0]?.status).toBe('completed');
    expect(w.ducks.at(-1)).toBe(true);
    w.transcribers[0]?.final(2, 'Stop. Tell me about Mars instead.');
    await settle();
    expect(w.exchanges()[0]).toMatchObject({ status: 'interrupted', heard: 'A one. B' });
    expect(w.ducks.at(-1)).toBe(false);
    // The page says "Interrupted" for a moment.
    expect(w.stores.conversation.getState().interrupted).toBe(true);
    await vi.advanceTimersByTimeAsync(2100);
    expect(w.stores.conversation.getState().interrupted).toBe(false);
    expect(w.exchanges()[1]?.user).toBe('Stop. Tell me about Mars instead.');
  });

  it('a backchannel over the reply ("Yeah, right.") brings the volume back, the reply goes on, and it is not answered', async () => {
    const w = world({ hello: 'A one. B two. C three.' });
    await w.session.start();
    w.speak(1);
    w.transcribers[0]?.final(1, 'hello');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    w.play(2000);
    await settle();
    w.ducks.length = 0;
    w.frame(0.9);
    w.speak(2);
    await settle();
    expect(w.ducks).toEqual([true, true]);
    w.transcribers[0]?.final(2, 'Yeah, right.');
    await settle();
    expect(w.ducks.at(-1)).toBe(false);
    expect(w.exchanges()).toHaveLength(1);
    expect(w.exchanges()[0]?.status).toBe('completed');
    // The page shows it as a backchannel, not as words waiting for a reply.
    expect(w.stores.transcripts.getState().turns.find((entry) => entry.turn === 2)).toMatchObject({ final: 'Yeah, right.', backchannel: true });
    expect(w.stores.conversation.getState().interrupted).toBe(false);
    // The rest of the reply plays.
    w.play(4000);
    await settle();
    expect(w.requests).toHaveLength(1);
  });

  it('each reply is spoken in the language of its own turn', async () => {
    const w = world({ bonjour: 'Salut.', 'hello, how are you': 'Hi.', typed: 'Typed.' });
    await w.session.start();
    w.speak(1);
    w.transcribers[0]?.final(1, 'bonjour', 'fr');
    await vi.advanceTimersByTimeAsync(5 * WORD_MS);
    w.speak(2);
    w.transcribers[0]?.final(2, 'hello, how are you', 'en');
    await vi.advanceTimersByTimeAsync(5 * WORD_MS);
    void w.session.sendMessage('typed');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(w.replyLanguages).toEqual(['fr', 'en', null]);
  });

  it('a next-start setting changed while listening waits for the next start, with a notice; a next-reply one applies to the next reply', async () => {
    const w = world({ hello: 'Hi.' });
    await w.session.start();
    w.settings.getState().setSetting('stt', 'none');
    w.settings.getState().setSetting('init_chat_prompt', 'Be very brief.');
    expect(w.stores.listening.getState().waitingForRestart).toEqual(['stt']);
    // Turns are still transcribed by the speech to text listening started with.
    w.speak(1);
    expect(w.transcribers[0]?.heard).toHaveLength(1);
    w.transcribers[0]?.final(1, 'hello');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(w.requests[0]?.[0]).toBe('system: Be very brief.');
    w.session.stop();
    expect(w.stores.listening.getState().waitingForRestart).toEqual([]);
    await w.session.start();
    // Now it applies: with stt none the audio itself would go to the model, which this one cannot take.
    expect(w.transcribers).toHaveLength(1);
    expect(w.stores.transcripts.getState()).toMatchObject({ status: 'failed', detail: expect.stringContaining('stt none sends your audio straight to the language model') as string });
  });

  it('a new conversation forgets the exchanges and speaks as the settings say again', async () => {
    const w = world({ hello: 'Hi.' });
    void w.session.sendMessage('hello');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(w.exchanges()).toHaveLength(1);
    w.session.newConversation();
    expect(w.exchanges()).toEqual([]);
    expect(w.voiceResets()).toBe(1);
    void w.session.sendMessage('hello');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(w.requests.at(-1)).toEqual(['system: Be brief.', 'user: hello']);
  });

  it('a continued conversation is shown with ids the log never gave, and the model gets it back', async () => {
    const w = world({ hello: 'Hi.', again: 'Yes.' });
    void w.session.sendMessage('hello');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    const [earlier] = w.exchanges();
    if (!earlier) throw new Error('no exchange');
    w.session.continueConversation([earlier, { ...earlier, id: 7, user: 'more', reply: 'More.' }]);
    expect(w.exchanges().map((exchange) => [exchange.user, exchange.reply])).toEqual([
      ['hello', 'Hi. '],
      ['more', 'More.'],
    ]);
    expect(w.exchanges().map((exchange) => exchange.id)).toEqual([2, 3]);
    expect(w.voiceResets()).toBe(1);
    void w.session.sendMessage('again');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(w.requests.at(-1)).toEqual(['system: Be brief.', 'user: hello', 'assistant: Hi. ', 'user: more', 'assistant: More.', 'user: again']);
  });

  it('half duplex mutes the microphone while the assistant speaks', async () => {
    const w = world({ hello: 'Hi there.' }, { local_audio_block_mic_during_playback: true });
    await w.session.start();
    void w.session.sendMessage('hello');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(w.listeners[0]?.muted).toEqual([false, true]);
    w.play(100_000);
    expect(w.listeners[0]?.muted).toEqual([false, true, false]);
  });

  it('turns heard while speech to text still starts wait for it', async () => {
    const w = world({});
    let ready: () => void = () => undefined;
    w.holdTranscriber(new Promise((resolve) => (ready = resolve)));
    await w.session.start();
    w.speak(1);
    expect(w.transcribers).toHaveLength(0);
    ready();
    await settle();
    expect(w.transcribers[0]?.heard.map((audio) => audio.turn)).toEqual([1]);
  });

  it('a fatal listening error stops listening and says what to do', async () => {
    const w = world({});
    await w.session.start();
    await settle();
    w.emit({ kind: 'error', code: 'vad-stopped', message: 'Voice activity detection stopped: boom. Stop and start listening again.', fatal: true });
    expect(w.stores.listening.getState()).toMatchObject({ status: 'failed', detail: 'Voice activity detection stopped: boom. Stop and start listening again.' });
    expect(w.listeners[0]?.stopped).toBe(true);
    expect(w.stores.transcripts.getState().status).toBe('off');
  });

  it('a host a link named waits for the user: nothing is asked of the model, and the reply says why', async () => {
    const w = world({}, { llm_backend: 'chat-completions', responses_api_base_url: 'https://llm.example.com/v1' });
    w.settings.getState().setSetting('responses_api_api_key', SECRET);
    w.settings.getState().replaceSettings({ ...w.settings.getState().settings, responses_api_base_url: 'https://elsewhere.example/v1' });
    await w.session.sendMessage('hello');
    expect(w.exchanges()[0]).toMatchObject({ status: 'failed' });
    expect(w.exchanges()[0]?.error).toContain('Waiting for you to allow elsewhere.example: responses_api_base_url points there');
    expect(w.requests).toEqual([]);
    // Allowed: the key goes with it (the offer said so), and the reply is asked for there.
    w.settings.getState().allowHost('https://elsewhere.example');
    expect(w.settings.getState().keyBindings.responses_api_api_key).toBe('https://elsewhere.example/v1');
  });

  it('a key whose endpoint a link moved to another allowed host is held: nothing is asked of the model, and the reply says why', async () => {
    const w = world({}, { llm_backend: 'chat-completions', responses_api_base_url: 'https://llm.example.com/v1' });
    w.settings.getState().allowHost('https://elsewhere.example');
    w.settings.getState().setSetting('responses_api_api_key', SECRET);
    w.settings.getState().replaceSettings({ ...w.settings.getState().settings, responses_api_base_url: 'https://elsewhere.example/v1' });
    await w.session.sendMessage('hello');
    expect(w.exchanges()[0]).toMatchObject({ status: 'failed' });
    expect(w.exchanges()[0]?.error).toContain('responses_api_api_key was entered for llm.example.com, but the settings now send it to elsewhere.example');
    expect(w.exchanges()[0]?.error).not.toContain(SECRET);
    expect(w.requests).toEqual([]);
  });

  it('a typed message while a Realtime server runs the pipeline but is not connected stays in view, not sent, with what to do', async () => {
    const w = world({ hello: 'Hi.' }, { pipeline: 'realtime', talk_url: 'ws://gpu-box:8765/v1/realtime' });
    await w.session.sendMessage('hello');
    expect(w.exchanges()).toMatchObject([{ user: 'hello', status: 'failed', error: expect.stringContaining('Press Start to connect') as unknown }]);
    // Nothing local was asked to answer it.
    expect(w.loads).toEqual([]);
  });

  it('no stage but the endpoint’s own is given a key', async () => {
    const w = world({ hello: 'Hi.' }, { stt: 'openai', openai_stt_api_key: 'sk-stt', responses_api_api_key: SECRET, openai_tts_api_key: 'sk-tts', talk_api_key: 'sk-talk', mcp_api_key: 'sk-mcp' });
    await w.session.start();
    const given = JSON.stringify([w.configs, w.transcriberSettings]);
    expect(given).not.toContain('sk-mcp');
    expect(given).not.toContain(SECRET);
    expect(given).not.toContain('sk-tts');
    expect(given).not.toContain('sk-talk');
    // Speech to text is given its own key, for its own endpoint.
    expect(w.transcriberSettings[0]).toMatchObject({ openai_stt_api_key: 'sk-stt' });
    // The Realtime server's key goes only to its call, on the page's thread (realtimeCall.test.ts); the MCP token only to the MCP servers (mcpServers.test.ts).
    expect(SECRET_KEYS).toHaveLength(5);
  });

  it('the thinking cue sounds once the assistant has had the turn in silence for thinking_cue_after_ms, and stops at its first audio', async () => {
    const w = world({ hello: 'One two three four five six seven eight nine ten.' }, { thinking_cue_after_ms: 50 });
    void w.session.sendMessage('hello');
    await vi.advanceTimersByTimeAsync(40);
    expect(w.cues).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(w.cues).toEqual([true]);
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(w.stores.voice.getState().assistantSpeaking).toBe(true);
    expect(w.cues).toEqual([true, false]);
  });

  it('the thinking cue sounds while a tool runs once the words before it have played, and not while the user is asked about one', async () => {
    let found: (answer: string) => void = () => undefined;
    const tool = (name: string, readOnly: boolean, run: Tool['run']): Tool => ({ spec: { name, description: name, parameters: { type: 'object' } }, readOnly, host: 'this page', run });
    const lookup = tool('lookup', true, () => new Promise((resolve) => (found = resolve)));
    const act = tool('act', false, () => Promise.resolve('acted'));
    const w = world({ 'look it up': 'Let me look. <call lookup>', found: 'Found it.', 'do it': 'Sure. <call act>', acted: 'Done.' }, { thinking_cue_after_ms: 50 }, undefined, () => [lookup, act]);
    void w.session.sendMessage('look it up');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    w.play(1_000_000);
    expect(w.stores.voice.getState().assistantSpeaking).toBe(false);
    await vi.advanceTimersByTimeAsync(60);
    expect(w.cues).toEqual([true]);
    found('found');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(w.cues).toEqual([true, false]);
    w.play(1_000_000);
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    void w.session.sendMessage('do it');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    w.play(1_000_000);
    await vi.advanceTimersByTimeAsync(200);
    const [asked] = w.stores.conversation.getState().toolRequests;
    expect(asked?.call.name).toBe('act');
    // Waiting for the user: no cue.
    expect(w.cues).toEqual([true, false]);
    w.session.answerToolCall(asked?.call.id ?? '', 'allow-once');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(w.stores.conversation.getState().exchanges.at(-1)).toMatchObject({ status: 'completed', toolCalls: [{ name: 'act', status: 'done', result: 'acted' }] });
  });

  it('no thinking cue when it is off, or when the reply is heard before thinking_cue_after_ms', async () => {
    const off = world({ hello: 'One two three four five six seven eight nine ten.' }, { thinking_cue: false, thinking_cue_after_ms: 50 });
    void off.session.sendMessage('hello');
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    expect(off.cues).toEqual([]);
    const quick = world({ hello: 'Hi.' }, { thinking_cue_after_ms: 500 });
    void quick.session.sendMessage('hello');
    await vi.advanceTimersByTimeAsync(1000);
    expect(quick.cues).toEqual([]);
  });

  it('push to talk: the microphone is silent until held; letting go ends the turn at once', async () => {
    const w = world({}, { push_to_talk: true });
    await w.session.start();
    const listener = w.listeners[0];
    expect(listener?.muted.at(-1)).toBe(true);
    w.session.talkPressed();
    expect(listener?.held).toEqual([true]);
    expect(listener?.muted.at(-1)).toBe(false);
    w.session.talkReleased();
    expect(listener?.muted.at(-1)).toBe(true);
    expect(listener?.ended).toBe(1);
    // Push to talk off again (it applies at once): the microphone is open.
    w.settings.getState().setSetting('push_to_talk', false);
    expect(listener?.muted.at(-1)).toBe(false);
    w.session.sendNow();
    expect(listener?.ended).toBe(2);
  });

  it('pressing to talk while not listening starts listening, held from the start', async () => {
    const w = world({}, { push_to_talk: true });
    w.session.talkPressed();
    await settle();
    expect(w.listeners[0]?.held).toEqual([true]);
    expect(w.listeners[0]?.muted.at(-1)).toBe(false);
  });

  it('Smart Turn that cannot load is a notice; listening goes on', async () => {
    const w = world({});
    await w.session.start();
    w.emit({ kind: 'notice', message: 'The Smart Turn model could not be downloaded. Turns end on silence alone meanwhile, as with --no_smart_turn.' });
    expect(w.stores.listening.getState()).toMatchObject({ status: 'listening', notice: expect.stringContaining('Turns end on silence alone') as string });
  });

  it('a model file the browser has no room for is said once: the model runs from memory', async () => {
    const w = world({});
    await w.session.start();
    w.transcribers[0]?.progress({ file: 'encoder_model_quantized.onnx', loaded: 0, total: null, done: true, storageFull: true });
    w.transcribers[0]?.progress({ file: 'decoder_model_merged_quantized.onnx', loaded: 0, total: null, done: true, storageFull: true });
    const notices = w.stores.notices.getState().notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ level: 'warning', title: 'The browser’s storage is full' });
    expect(notices[0]?.details[0]).toContain('encoder_model_quantized.onnx could not be kept, so it runs from memory for this visit');
  });

  it('a speech-to-text server that fails its warm-up does not leave the page loading: turns are still sent to it', async () => {
    const w = world({});
    await w.session.start();
    w.transcribers[0]?.fail('Speech to text is not ready: the transcription server refused the request (HTTP 401): check openai_stt_api_key.');
    expect(w.stores.transcripts.getState()).toMatchObject({ status: 'ready', detail: expect.stringContaining('HTTP 401') as string });
    w.speak(1);
    expect(w.transcribers[0]?.heard).toHaveLength(1);
  });
});
