/**
 * The session with each pipeline behind it, for the behaviour both must share: the local stages
 * faked at their ports (a microphone and VAD the test speaks through, a speech to text that hears
 * "what time is it", a scripted language model, a voice of 1000 samples per word), and the
 * Realtime client talking to the local Realtime test server over a real WebSocket. Speakers in both
 * play only when the test says so; real timers throughout.
 */
import { WebSocket as NodeWebSocket } from 'ws';
import type { PlaybackProgress } from '../audio/playbackProtocol';
import type { SpeakersPort } from '../pipeline/assistantVoice';
import { playQueued, type QueuedChunk } from '../pipeline/fakeSpeakers.testSupport';
import { scriptedModel } from '../pipeline/scriptedModel.testSupport';
import { RealtimeCall } from '../realtime/realtimeCall';
import { startRealtimeServer, type RealtimeServer } from '../realtime/realtimeServer.testSupport';
import { waitingDestinations } from '../settings/hostConsent';
import { MemoryStorage } from '../settings/memoryStorage.testSupport';
import { defaultSettings, type Settings } from '../settings/schema';
import { createSettingsStore } from '../settings/store';
import { LanguageModels } from '../stages/llm';
import type { Transcriber, TranscriberEvent } from '../stages/stt';
import type { ListenerEvent } from '../stages/vad';
import { createConversationStore } from './conversationStore';
import type { ListeningLock } from './listeningLock';
import { createListeningStore } from './listeningStore';
import { createNoticesStore } from './noticesStore';
import { Session, type ListenerControl, type SessionStages, type SessionStores } from './session';
import { createTranscriptStore } from './transcriptStore';
import { createVoiceStore } from './voiceStore';

export interface PipelineRig {
  readonly session: Session;
  readonly stores: SessionStores;
  /** The user asks a question of about a second, then is silent. */
  speak(): Promise<void>;
  /** The speakers play `samples` more of what is queued (all of it by default), reporting as the worklet does. */
  play(samples?: number): void;
  /** Samples queued at the speakers and not played yet. */
  queued(): number;
  /** Whether the microphone is muted now (as last told). */
  muted(): boolean | undefined;
  close(): Promise<void>;
}

const oneTabLock: ListeningLock = { acquire: () => Promise.resolve(true), release: () => undefined, holder: () => '' };

function stores(overrides: Partial<Settings>): SessionStores {
  const settings = createSettingsStore({ storage: () => new MemoryStorage(), report: () => undefined, page: 'http://localhost/' });
  settings.getState().replaceSettings({ ...defaultSettings(), init_chat_prompt: 'Be brief.', stream_batch_sentences: 1, ...overrides });
  // The hosts these settings name are the user's own.
  for (const { origin } of waitingDestinations(settings.getState().settings, settings.getState().hostConsent, 'http://localhost/')) settings.getState().allowHost(origin);
  return { settings, notices: createNoticesStore(), listening: createListeningStore(), transcripts: createTranscriptStore(), conversation: createConversationStore(), voice: createVoiceStore() };
}

/** Speakers that queue what they are given and play it when the test says. */
function fakeSpeakers(sampleRate: number) {
  const queue: QueuedChunk[] = [];
  let onPlayed: (progress: PlaybackProgress) => void = () => undefined;
  const speakers: SpeakersPort & { close(): void } = {
    sampleRate,
    suspended: false,
    play: (id, samples) => queue.push({ id, length: samples.length, played: 0 }),
    flush: () => {
      const reports = queue.map((chunk) => ({ id: chunk.id, played: chunk.played, ended: false }));
      queue.length = 0;
      return Promise.resolve(reports);
    },
    duck: () => undefined,
    cue: () => undefined,
    setSink: () => Promise.resolve(),
    resume: () => Promise.resolve(),
    onStateChange: () => undefined,
    close: () => undefined,
  };
  return {
    open: (played: (progress: PlaybackProgress) => void) => {
      onPlayed = played;
      return Promise.resolve(speakers);
    },
    play: (samples = Number.POSITIVE_INFINITY) => {
      const reports = playQueued(queue, samples).map(({ report }) => report);
      onPlayed({ reports, level: reports.length > 0 ? 0.1 : 0, cueSamples: 0 });
    },
    queued: () => queue.reduce((sum, chunk) => sum + chunk.length - chunk.played, 0),
  };
}

const unused = () => Promise.reject(new Error('not used by this pipeline'));

/** The pipeline in the page, its stages faked at their ports. */
export function localRig(overrides: Partial<Settings> = {}): PipelineRig {
  const model = scriptedModel({ 'What time is it?': 'It is noon. The sun is high and the day is long.' }, false);
  const out = fakeSpeakers(48_000);
  const mutes: boolean[] = [];
  let emit: (event: ListenerEvent) => void = () => undefined;
  let transcriberEvents: (event: TranscriberEvent) => void = () => undefined;
  let turn = 0;
  const listener: ListenerControl = {
    switchMicrophone: () => Promise.resolve(),
    mute: (muted) => void mutes.push(muted),
    endTurn: () => Promise.resolve(),
    hold: () => Promise.resolve(),
    resume: () => Promise.resolve(),
    stop: () => undefined,
  };
  const stages: SessionStages = {
    startListener: (_config, onEvent) => {
      emit = onEvent;
      onEvent({ kind: 'listening', sampleRate: 48_000, microphone: 'fake' });
      return Promise.resolve(listener);
    },
    listMicrophones: () => Promise.resolve([]),
    listSpeakers: () => Promise.resolve(null),
    startTranscriber: (_settings, onEvent) => {
      transcriberEvents = onEvent;
      const transcriber: Transcriber = {
        // Whatever is said, it hears the one question (a final after 50 ms, as a fast Whisper).
        transcribe: (audio) => {
          if (audio.mode === 'final') setTimeout(() => transcriberEvents({ kind: 'transcript', turn: audio.turn, revision: audio.revision, mode: 'final', text: 'What time is it?', language: 'en', inferenceMs: 50, audioMs: 1000 }), 50);
        },
        dispose: () => undefined,
      };
      setTimeout(() => onEvent({ kind: 'ready', description: 'whisper, fake' }), 0);
      return Promise.resolve(transcriber);
    },
    languageModels: (onStatus) => new LanguageModels(onStatus, { transformers: () => Promise.resolve(model), 'web-llm': unused }),
    voiceModels: () => ({
      forReply: () => ({ speak: (text) => Promise.resolve(new Float32Array(text.split(' ').length * 1000)) }),
      prepare: () => undefined,
      resetLanguage: () => undefined,
    }),
    openSpeakers: (played) => out.open(played),
    browserVoice: () => null,
    lock: oneTabLock,
    page: { href: 'http://localhost/', crossOriginIsolated: false },
    realtime: { openCapture: unused, openSpeakers: unused, openCall: unused },
  };
  const rigStores = stores({ pipeline: 'local', llm_backend: 'transformers', tts: 'kokoro', ...overrides });
  return {
    session: new Session(rigStores, stages),
    stores: rigStores,
    speak: () => {
      turn++;
      const event = (kind: 'speech_started' | 'speech_stopped' | 'turn_releasable') =>
        emit({ kind: 'turn', event: kind === 'speech_started' ? { kind, turn, revision: 0, startMs: 0, reopened: false } : kind === 'speech_stopped' ? { kind, turn, revision: 0, endMs: 1000, durationS: 1 } : { kind, turn, revision: 0 } });
      event('speech_started');
      event('speech_stopped');
      emit({ kind: 'turn', event: { kind: 'segment', turn, revision: 0, audio: new Float32Array(16_000), startMs: 0, endMs: 1000, speechStartMs: 0, speechEndMs: 900, smartTurn: null, delayMs: 0, graceMs: 0 } });
      event('turn_releasable');
      return Promise.resolve();
    },
    play: (samples) => out.play(samples),
    queued: () => out.queued(),
    muted: () => mutes.at(-1),
    close: () => Promise.resolve(),
  };
}

/** The Realtime client, talking to the local Realtime test server over a real WebSocket. */
export async function realtimeRig(overrides: Partial<Settings> = {}): Promise<PipelineRig> {
  const server: RealtimeServer = await startRealtimeServer({ replySeconds: 1 });
  const out = fakeSpeakers(24_000);
  const mutes: boolean[] = [];
  let onFrame: (samples: Float32Array) => void = () => undefined;
  const stages: SessionStages = {
    ...localRigStagesUnused(),
    realtime: {
      openCapture: (_options, frame) => {
        onFrame = frame;
        return Promise.resolve({ label: 'fake', stream: null, mute: (muted) => void mutes.push(muted), resume: () => Promise.resolve(), switchMicrophone: () => Promise.resolve(), stop: () => undefined });
      },
      openSpeakers: (played) => out.open(played),
      openCall: (settings, _microphone, onEvent, signal) => RealtimeCall.open(settings, { createWebSocket: (url, protocols) => new NodeWebSocket(url, protocols) as unknown as WebSocket }, onEvent, signal),
    },
  };
  const rigStores = stores({ pipeline: 'realtime', talk_url: server.url, talk_recv_rate: 24_000, ...overrides });
  const muted = () => mutes.at(-1);
  return {
    session: new Session(rigStores, stages),
    stores: rigStores,
    // Speech-loud audio for a second, then silence the server's VAD ends the turn on, at the microphone's 32 ms frames.
    speak: async () => {
      for (let sent = 0; sent < 2 * 16_000; sent += 512) onFrame(Float32Array.from({ length: 512 }, (_, i) => (sent < 16_000 ? 0.3 * Math.sin(i / 3) : 0)));
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
    play: (samples) => out.play(samples),
    queued: () => out.queued(),
    muted,
    close: () => server.close(),
  };
}

/** The local stages a Realtime session never starts. */
function localRigStagesUnused(): Omit<SessionStages, 'realtime'> {
  return {
    startListener: unused,
    listMicrophones: () => Promise.resolve([]),
    listSpeakers: () => Promise.resolve(null),
    startTranscriber: unused,
    languageModels: (onStatus) => new LanguageModels(onStatus, { transformers: unused, 'web-llm': unused }),
    voiceModels: () => ({ forReply: () => ({ speak: unused }), prepare: () => undefined, resetLanguage: () => undefined }),
    openSpeakers: (played) => fakeSpeakers(48_000).open(played),
    browserVoice: () => null,
    lock: oneTabLock,
    page: { href: 'http://localhost/', crossOriginIsolated: false },
  };
}
