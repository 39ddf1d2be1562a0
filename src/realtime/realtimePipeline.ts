/**
 * The page as the client of a Realtime server (`pipeline realtime`, the reference's `talk`): the
 * microphone goes to the server at the send rate, the reply's audio comes back at the receive
 * rate, and the server's events are told in the pipeline's words, as the pipeline in the page
 * tells its own: listening (hearing you), your words as they come, the exchanges (the reply as it
 * streams, what was heard of an interrupted one, the latency, the server's own figures beside the
 * page's). Barge-in is the server's; the page lowers the reply at once when it hears you and
 * silences it when the server says you spoke. Nothing is downloaded into the page.
 */
import { FrameResampler } from '../audio/frameResampler';
import { PlayedCounter } from '../audio/playedCounter';
import type { MicrophoneInfo, MicrophoneOptions } from '../audio/microphone';
import type { CaptureEvent } from '../audio/microphoneCapture';
import type { PlaybackProgress } from '../audio/playbackProtocol';
import type { PlayedReport } from '../audio/playbackQueue';
import { DUCK_HOLD_MS } from '../pipeline/bargeIn';
import { freshExchange, toolCallDone, toolCallStarted, type Exchange, type ExchangeChange } from '../pipeline/exchange';
import { heardWords } from '../pipeline/heard';
import type { Pipeline, PipelineEvent, PipelineSink, PipelineTools, ToolRunner } from '../pipeline/pipeline';
import { markMoment } from '../pipeline/timeline';
import type { Settings } from '../settings/schema';
import { hostOf } from '../settings/keyBinding';
import { ServerFullError, type CallTools, type RealtimeCallEvent, type RealtimeCallSettings, type ServerEvent } from './realtimeCall';
import { readTurnLatency } from './turnLatency';

export interface RealtimeCapture {
  readonly label: string;
  /** The stream itself, for WebRTC, which sends it as it is. */
  readonly stream: MediaStream | null;
  mute(muted: boolean): void;
  resume(): Promise<void>;
  /** Listens through another microphone from now on; rejects with why it could not (the one before goes on). */
  switchMicrophone(deviceId: string | null): Promise<void>;
  stop(): void;
}

/** The speakers, as the Realtime client needs them (the page's Player). */
export interface RealtimeSpeakers {
  readonly sampleRate: number;
  play(id: number, samples: Float32Array): void;
  duck(ducked: boolean): void;
  flush(): Promise<readonly PlayedReport[]>;
  close(): void;
}

export interface RealtimeCallPort {
  sendAudio(samples: Float32Array): void;
  sendText(text: string): void;
  close(): void;
}

export interface RealtimePorts {
  readonly openCapture: (options: MicrophoneOptions, onFrame: (samples: Float32Array) => void, onEvent: (event: CaptureEvent) => void) => Promise<RealtimeCapture>;
  readonly openSpeakers: (onPlayed: (progress: PlaybackProgress) => void) => Promise<RealtimeSpeakers>;
  readonly openCall: (settings: RealtimeCallSettings, microphone: MediaStream | null, onEvent: (event: RealtimeCallEvent) => void, signal: AbortSignal) => Promise<RealtimeCallPort>;
  readonly listMicrophones: () => Promise<readonly MicrophoneInfo[]>;
  /** The page's tools, offered to the server's model; none without. */
  readonly tools?: PipelineTools;
}

/** The rate of the capture worklet's frames. */
const CAPTURE_RATE = 16_000;
/** A microphone frame louder than this (RMS) may be the user: the reply is lowered at once. */
const VOICE_RMS = 0.02;
/** Loud frames in a row before the reply is lowered (32 ms each): a click is not a voice. */
const VOICE_FRAMES = 2;
/** Reply audio queued ahead of what has played, at most (seconds): a server that sends faster than that cannot fill the page's memory. */
export const MAX_QUEUED_AUDIO_S = 120;
/** How long after closing its own session the page asks a full server again (it may not have let that session go yet). */
const RELEASE_WAIT_MS = 5000;
/** The reference's bound on a reply: no word or sound of it (or no reply at all) for this long ends it. */
export const REPLY_SILENCE_MS = 20_000;

interface ResponseState {
  readonly exchangeId: number;
  readonly resampler: FrameResampler;
  /** Samples at the speakers' rate, received and played. */
  received: number;
  played: number;
  /** Where the reply's text stood as each part of it came: its words are heard once the audio received by then has played. */
  readonly marks: { readonly at: number; readonly length: number }[];
  /** The server finished it (response.done completed): it is forgotten once its audio has played. */
  completed: boolean;
  /** Audio past the queue's cap was dropped: the rest of the reply is text only. */
  overflowed: boolean;
}

/** The settings of a Realtime call. The system prompt is the instructions unless talk_instructions is set. */
export function callSettings(settings: Settings): RealtimeCallSettings {
  return {
    url: settings.talk_url,
    transport: settings.talk_transport,
    model: settings.talk_model,
    apiKey: settings.talk_api_key,
    voice: settings.talk_voice,
    instructions: settings.talk_instructions ?? settings.init_chat_prompt,
    sendRate: settings.talk_send_rate,
    recvRate: settings.talk_recv_rate,
    retryTimeoutS: settings.talk_connection_retry_timeout,
  };
}

/** A text field of a server event, or '' where it is missing or not text. */
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The part of a reply a listener heard: a server sends each part of the text as its audio starts
 * (`marks`: the audio received, in samples, and the reply's length, at each part), so each part's
 * audio runs from its mark to the next, and it is heard as far as that audio has played.
 */
export function heardText(reply: string, marks: readonly { readonly at: number; readonly length: number }[], received: number, played: number): string {
  const parts = marks.map((mark, index) => {
    const from = mark.at;
    const to = marks[index + 1]?.at ?? received;
    return { text: reply.slice(marks[index - 1]?.length ?? 0, mark.length), samples: to - from, played: Math.max(0, Math.min(to, played) - from), ended: played >= to && to > from };
  });
  return heardWords(parts);
}

/**
 * One connection to the server, from Start to Stop (or to its end: `onEnded` says why in words).
 * RealtimePipeline below keeps the intents across connections.
 */
class RealtimeConnection {
  private capture: RealtimeCapture | null = null;
  private speakers: RealtimeSpeakers | null = null;
  private call: RealtimeCallPort | null = null;
  private settings: Settings | null = null;
  private upsampler: FrameResampler | null = null;
  /** The assistant can be heard now. */
  private speaking = false;
  private suspended = false;
  /** The turn the user is speaking or just spoke, and its exchange once it has one. */
  private turn = 0;
  private turnEndedAt: number | null = null;
  /** Each user item's turn and its words so far, by the server's item id: a late transcript finds its own turn. */
  private readonly items = new Map<string, { readonly turn: number; partial: string }>();
  /** The exchange waiting for the server's response (a spoken turn, or a typed message). */
  private waiting: number | null = null;
  /** The exchange whose reply called a tool: the reply after the tool's answer goes on in it. */
  private toolExchange: number | null = null;
  private readonly responses = new Map<string, ResponseState>();
  /** Each chunk of reply audio queued at the speakers: which response it belongs to. */
  private readonly chunks = new Map<number, string>();
  /** The speakers say how far each chunk played, not how much more. */
  private readonly played = new PlayedCounter();
  private nextChunk = 1;
  private loudFrames = 0;
  private duckTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private flushing: Promise<void> | null = null;
  /** Push to talk, not held: the microphone sends silence. */
  private pushToTalkMuted = false;
  /** Counts the server's silence while a reply is awaited or streams (see REPLY_SILENCE_MS). */
  private replyTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly sink: PipelineSink,
    private readonly ports: RealtimePorts,
    /** The session ended by itself (the server full, the connection lost): said in words. */
    private readonly onEnded: (message: string) => void,
    private readonly replySilenceMs: number,
    /** Push to talk, not held, from the first frame. */
    held: boolean,
  ) {
    this.pushToTalkMuted = !held;
  }

  private emit(event: PipelineEvent): void {
    this.sink.emit(event);
  }

  /** Opens the speakers, the microphone and the call; resolves once the server answers. Rejects with what to do. */
  async start(settings: Settings, microphoneId: string | null, signal: AbortSignal): Promise<void> {
    this.settings = settings;
    const host = hostOf(settings.talk_url);
    this.emit({ kind: 'listening', status: 'starting', detail: null });
    this.emit({ kind: 'listening_notice', message: `Connecting to the Realtime server at ${host}…` });
    // Both from the click that started: browsers open audio only on a user gesture. Each is kept as
    // soon as it opens, so that a failure of the other (a blocked microphone) still closes it.
    await Promise.all([
      this.ports.openSpeakers((progress) => this.onPlayed(progress)).then((speakers) => {
        if (this.stopped) speakers.close();
        else this.speakers = speakers;
      }),
      this.ports
        .openCapture(
          { deviceId: microphoneId, echoCancellation: settings.echo_cancellation, noiseSuppression: settings.noise_suppression, autoGainControl: settings.auto_gain_control },
          (samples) => this.onFrame(samples),
          (event) => this.onCaptureEvent(event),
        )
        .then((capture) => {
          if (this.stopped) capture.stop();
          else {
            this.capture = capture;
            this.applyMute();
          }
        }),
    ]);
    if (this.stopped) {
      this.stop();
      return;
    }
    if (settings.talk_send_rate !== CAPTURE_RATE) {
      const frame = Math.round((512 * settings.talk_send_rate) / CAPTURE_RATE);
      this.upsampler = new FrameResampler(CAPTURE_RATE, settings.talk_send_rate, frame, (samples) => this.call?.sendAudio(samples));
    }
    const tools = (await this.ports.tools?.runner(settings)) ?? null;
    if (this.stopped) {
      this.stop();
      return;
    }
    this.call = await this.ports.openCall({ ...callSettings(settings), tools: tools && this.shownTools(tools) }, this.capture?.stream ?? null, (event) => this.onCallEvent(event), signal);
    if (this.stopped) {
      this.stop();
      return;
    }
    this.emit({ kind: 'listening_notice', message: null });
    this.emit({ kind: 'listening', status: 'listening', detail: null, sampleRate: settings.talk_send_rate });
  }

  /** A typed message, sent to the server as a conversation item; the reply comes as for a spoken turn. False: not connected yet. */
  sendText(text: string): boolean {
    if (!this.call || this.stopped) return false;
    this.waiting = this.addExchange(null, text);
    this.watchReply();
    this.call.sendText(text);
    return true;
  }

  /** Push to talk: while not held the server hears silence; letting go leaves its voice detection to end the turn. */
  hold(held: boolean): void {
    this.pushToTalkMuted = !held;
    this.applyMute();
  }

  stop(): void {
    this.stopped = true;
    this.stopWatchingReply();
    // An exchange the server never answered does not stay "Thinking".
    if (this.waiting !== null) this.update(this.waiting, { status: 'failed', error: 'Listening was stopped before the Realtime server answered.' });
    this.waiting = null;
    this.call?.close();
    this.capture?.stop();
    this.speakers?.close();
    this.call = null;
    this.capture = null;
    this.speakers = null;
    if (this.duckTimer) clearTimeout(this.duckTimer);
    // A reply cut off by Stop keeps what was heard; finished ones stay as they are.
    for (const [responseId, response] of this.responses) if (!response.completed) this.endResponse(responseId);
    if (this.speaking) this.emit({ kind: 'assistant_audio', speaking: false });
    this.speaking = false;
    this.emit({ kind: 'listening_notice', message: null });
  }

  // --- The microphone.

  /** Resumes audio the browser suspended; call it from a click. */
  async resume(): Promise<void> {
    await this.capture?.resume();
  }

  /** Another microphone, live over WebSocket; WebRTC sends the stream it was given, so there it waits for the next Start. */
  async switchMicrophone(deviceId: string | null): Promise<void> {
    if (this.settings?.talk_transport === 'webrtc') throw new Error('over WebRTC the server hears the microphone the call opened with. Press Stop, then Start, to talk through this one');
    await this.capture?.switchMicrophone(deviceId);
  }

  /** An unplugged microphone and paused audio are said, with the way back, as when the page listens itself. */
  private onCaptureEvent(event: CaptureEvent): void {
    if (this.stopped) return;
    switch (event.kind) {
      case 'suspended':
        this.suspended = true;
        this.emit({ kind: 'listening', status: 'suspended', detail: event.message });
        return;
      case 'running':
        if (this.suspended) this.emit({ kind: 'listening', status: 'listening', detail: null });
        this.suspended = false;
        return;
      case 'switched':
        // WebRTC sends the stream it was given: the new microphone is heard over WebSocket only.
        this.emit({ kind: 'microphone_switched', message: this.settings?.talk_transport === 'webrtc' ? 'The microphone was disconnected. Press Stop, then Start, to talk to the server with another one.' : event.message });
        return;
      case 'devices_changed':
        void this.ports.listMicrophones().then((microphones) => this.emit({ kind: 'microphones', microphones }), () => undefined);
        return;
      case 'lost':
        this.onEnded(event.message);
        return;
    }
  }

  private applyMute(speaking = this.speaking): void {
    this.capture?.mute(this.pushToTalkMuted || (speaking && (this.settings?.talk_block_mic_during_playback ?? false)));
  }

  private onFrame(samples: Float32Array): void {
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    const level = Math.sqrt(sum / samples.length);
    this.emit({ kind: 'level', rms: level, probability: 0 });
    this.loudFrames = level > VOICE_RMS ? this.loudFrames + 1 : 0;
    // The user's voice over the reply: lower it now; the server's speech_started silences it.
    if (this.loudFrames === VOICE_FRAMES && this.speaking && !this.settings?.talk_block_mic_during_playback) this.duck();
    // Not held: silence goes out, whatever a frame still on its way from the microphone holds.
    const outgoing = this.pushToTalkMuted ? new Float32Array(samples.length) : samples;
    if (this.upsampler) this.upsampler.push(outgoing);
    else this.call?.sendAudio(outgoing);
  }

  private duck(): void {
    this.speakers?.duck(true);
    if (this.duckTimer) clearTimeout(this.duckTimer);
    this.duckTimer = setTimeout(() => this.speakers?.duck(false), DUCK_HOLD_MS);
  }

  // --- The server.

  private onCallEvent(event: RealtimeCallEvent): void {
    if (this.stopped) return;
    switch (event.kind) {
      case 'waiting':
        this.emit({ kind: 'listening', status: 'starting', detail: `The Realtime server at ${hostOf(this.settings?.talk_url ?? '')} cannot be reached yet (${event.reason}); trying again for ${event.secondsLeft} s…` });
        return;
      case 'audio':
        this.onAudio(event.responseId, event.samples);
        return;
      case 'interrupted':
        void this.silence();
        return;
      case 'ended':
        this.onEnded(event.message);
        return;
      case 'server':
        this.onServerEvent(event.event);
        return;
    }
  }

  private onServerEvent(event: ServerEvent): void {
    switch (event.type) {
      // The reference's extension: speech that may be a backchannel holds the reply lowered until
      // the server decides; a rejected candidate (an acknowledgement, a noise) lets it go on.
      case 'input_audio_buffer.speech_candidate_started':
        // A server that will not interrupt for it (interrupt_response false) leaves the reply as it is.
        if (!this.speaking || event.interrupt_response === false) return;
        if (this.duckTimer) clearTimeout(this.duckTimer);
        this.duckTimer = null;
        this.speakers?.duck(true);
        return;
      case 'input_audio_buffer.speech_candidate_rejected':
        if (this.duckTimer) clearTimeout(this.duckTimer);
        this.duckTimer = null;
        this.speakers?.duck(false);
        markMoment('resumed');
        return;
      case 'input_audio_buffer.speech_started':
        this.turn++;
        this.itemOf(event).partial = '';
        this.turnEndedAt = null;
        this.emit({ kind: 'user_started_speaking', turn: this.turn, revision: 0 });
        if (this.speaking) this.emit({ kind: 'interrupted' });
        void this.silence();
        return;
      case 'input_audio_buffer.speech_stopped':
        this.emit({ kind: 'user_stopped_speaking' });
        this.turnEndedAt = performance.now();
        this.waiting = this.addExchange(this.itemOf(event).turn, this.itemOf(event).partial);
        this.watchReply();
        return;
      case 'conversation.item.input_audio_transcription.delta': {
        const item = this.itemOf(event);
        item.partial += textOf(event.delta);
        this.emit({ kind: 'user_transcript', turn: item.turn, revision: 0, text: item.partial, final: false });
        const id = this.exchangeOfTurn(item.turn);
        if (id !== null && id === this.waiting) this.update(id, { user: item.partial });
        return;
      }
      case 'conversation.item.input_audio_transcription.completed': {
        const text = textOf(event.transcript).trim();
        const { turn } = this.itemOf(event);
        this.emit({ kind: 'user_transcript', turn, revision: 0, text, final: true });
        const id = this.exchangeOfTurn(turn);
        if (id !== null) this.update(id, (exchange) => ({ user: text, latency: { ...exchange.latency, transcriptMs: this.sinceTurnEnd(exchange) } }));
        return;
      }
      case 'response.created': {
        const responseId = (event.response as { id?: string } | undefined)?.id ?? '';
        // The reply after a tool's answer goes on in the exchange whose reply called it.
        const exchangeId = this.waiting ?? this.toolExchange ?? this.addExchange(null, '');
        this.waiting = null;
        this.toolExchange = null;
        const rate = this.speakers?.sampleRate ?? this.settings?.talk_recv_rate ?? 24_000;
        const frame = Math.round(rate / 50);
        const resampler = new FrameResampler(this.settings?.talk_recv_rate ?? 24_000, rate, frame, (samples) => this.play(responseId, samples));
        this.responses.set(responseId, { exchangeId, resampler, received: 0, played: 0, marks: [], completed: false, overflowed: false });
        this.update(exchangeId, { status: 'streaming' });
        this.watchReply();
        return;
      }
      case 'response.output_audio_transcript.delta': {
        const response = this.responses.get(textOf(event.response_id));
        if (!response) return;
        this.watchReply();
        this.update(response.exchangeId, (exchange) => ({
          reply: this.marked(response, exchange.reply + textOf(event.delta)),
          ...(exchange.reply === '' ? { firstTextMs: this.sinceTurnEnd(exchange), latency: { ...exchange.latency, firstTextMs: this.sinceTurnEnd(exchange) } } : {}),
        }));
        return;
      }
      case 'response.output_audio.done': {
        // The resampler holds the last few milliseconds until more comes: silence pushes them out.
        const response = this.responses.get(textOf(event.response_id));
        response?.resampler.push(new Float32Array(2048));
        return;
      }
      case 'response.done': {
        const response = event.response as { id?: string; status?: string } | undefined;
        const responseId = response?.id ?? '';
        const state = this.responses.get(responseId);
        if (!state) return;
        if (!this.awaitingReply(responseId)) this.stopWatchingReply();
        const serverLatency = readTurnLatency(response);
        if (serverLatency) this.update(state.exchangeId, { serverLatency });
        // A cancelled reply (the user spoke, or a new request) stops sounding, and keeps what was heard.
        if (response?.status !== 'completed') void this.silence().then(() => this.endResponse(responseId));
        else if ((response as { output?: { type?: string }[] }).output?.some((item) => item.type === 'function_call')) {
          // It called a tool: the reply that uses its answer is still to come, in the same exchange.
          this.toolExchange = state.exchangeId;
          state.completed = true;
          this.update(state.exchangeId, (exchange) => (exchange.reply === '' ? {} : { reply: `${exchange.reply}\n\n` }));
        } else {
          state.completed = true;
          this.update(state.exchangeId, { status: 'completed' });
          this.forgetPlayed();
        }
        return;
      }
      case 'error': {
        const error = event.error as { message?: string; code?: string } | undefined;
        this.emit({ kind: 'listening_notice', message: `The Realtime server reported an error: ${error?.message ?? 'no message'}${error?.code ? ` (${error.code})` : ''}.` });
        return;
      }
    }
  }

  /** The user item an event names (`item_id`); one the page has not seen (or no id) is the turn being spoken. */
  private itemOf(event: ServerEvent): { readonly turn: number; partial: string } {
    const id = textOf(event.item_id) || `turn ${this.turn}`;
    const known = this.items.get(id);
    if (known) return known;
    const item = { turn: this.turn, partial: '' };
    this.items.set(id, item);
    // Only the recent items can still be named by the server.
    if (this.items.size > 64) this.items.delete(this.items.keys().next().value as string);
    return item;
  }

  // --- The reply's audio.

  private onAudio(responseId: string, samples: Float32Array): void {
    const response = this.responses.get(responseId);
    if (!response) return;
    this.watchReply();
    response.resampler.push(samples);
  }

  // --- Nothing waits forever: a reply awaited or streaming that the server goes quiet on is ended.

  /** Whether a reply is still awaited (a turn or message unanswered, or a response other than `except` not done). */
  private awaitingReply(except?: string): boolean {
    return this.waiting !== null || [...this.responses].some(([id, response]) => id !== except && !response.completed);
  }

  /** (Re)starts the count of the server's silence. */
  private watchReply(): void {
    this.stopWatchingReply();
    this.replyTimer = setTimeout(() => this.replyTimedOut(), this.replySilenceMs);
  }

  private stopWatchingReply(): void {
    if (this.replyTimer) clearTimeout(this.replyTimer);
    this.replyTimer = null;
  }

  private replyTimedOut(): void {
    this.replyTimer = null;
    const host = hostOf(this.settings?.talk_url ?? '');
    const error = `The Realtime server at ${host} sent nothing for ${this.replySilenceMs / 1000} s, so the reply was ended. It may be overloaded or stuck: speak again, or press Stop and Start to reconnect.`;
    if (this.waiting !== null) this.update(this.waiting, { status: 'failed', error });
    this.waiting = null;
    for (const [responseId, response] of this.responses) {
      if (response.completed) continue;
      void this.silence().then(() => {
        this.endResponse(responseId);
        this.update(response.exchangeId, { status: 'failed', error });
      });
    }
  }

  private play(responseId: string, samples: Float32Array): void {
    const response = this.responses.get(responseId);
    if (!response || !this.speakers) return;
    if (response.overflowed || response.received - response.played + samples.length > MAX_QUEUED_AUDIO_S * this.speakers.sampleRate) {
      if (!response.overflowed) this.emit({ kind: 'listening_notice', message: `The Realtime server sent more than ${MAX_QUEUED_AUDIO_S / 60} minutes of reply audio ahead of what has played; the rest of this reply is shown as text only.` });
      response.overflowed = true;
      return;
    }
    response.received += samples.length;
    const id = this.nextChunk++;
    this.chunks.set(id, responseId);
    this.speakers.play(id, samples);
  }

  private onPlayed({ reports, level }: PlaybackProgress): void {
    // The speakers' last report can come after Stop closed them: the assistant is not heard any more.
    if (this.stopped) return;
    let samples = 0;
    for (const report of reports) {
      const newly = this.played.take(report);
      samples += newly;
      const responseId = this.chunks.get(report.id);
      const response = responseId === undefined ? undefined : this.responses.get(responseId);
      if (response && newly > 0) {
        if (response.played === 0) this.update(response.exchangeId, (exchange) => ({ latency: { ...exchange.latency, firstAudioMs: this.sinceTurnEnd(exchange) } }));
        response.played += newly;
      }
      if (report.ended) this.chunks.delete(report.id);
    }
    this.forgetPlayed();
    const speaking = this.chunks.size > 0 && level > 0;
    this.applyMute(speaking);
    this.emit({ kind: 'assistant_played', samples, level, cueSamples: 0 });
    this.setSpeaking(speaking);
  }

  /** Completed replies whose audio has all played are done with. */
  private forgetPlayed(): void {
    const sounding = new Set(this.chunks.values());
    for (const [responseId, response] of this.responses) if (response.completed && !sounding.has(responseId)) this.responses.delete(responseId);
  }

  /** Silences the reply now, keeping what was heard of it; a flush under way is joined, not repeated. */
  private silence(): Promise<void> {
    this.flushing ??= this.flush().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async flush(): Promise<void> {
    if (!this.speakers || this.chunks.size === 0) return;
    const reports = await this.speakers.flush();
    for (const report of reports) {
      const responseId = this.chunks.get(report.id);
      const response = responseId === undefined ? undefined : this.responses.get(responseId);
      const newly = this.played.take(report);
      if (response) response.played += newly;
    }
    this.played.clear();
    this.chunks.clear();
    this.forgetPlayed();
    this.speakers?.duck(false);
    this.emit({ kind: 'assistant_played', samples: 0, level: 0, cueSamples: 0 });
    this.setSpeaking(false);
  }

  private setSpeaking(speaking: boolean): void {
    if (speaking === this.speaking) return;
    this.speaking = speaking;
    this.emit({ kind: 'assistant_audio', speaking });
  }

  /** Notes where the reply's text stands against its audio so far; returns the text. */
  private marked(response: ResponseState, reply: string): string {
    response.marks.push({ at: response.received, length: reply.length });
    return reply;
  }

  /** An interrupted reply: its words whose audio had started playing are the ones heard. */
  private endResponse(responseId: string): void {
    const response = this.responses.get(responseId);
    if (!response) return;
    this.responses.delete(responseId);
    this.update(response.exchangeId, (exchange) => ({ status: 'interrupted', heard: heardText(exchange.reply, response.marks, response.received, response.played) }));
  }

  // --- The exchanges.

  /** The tools, each call shown in the exchange of the reply that made it, while it runs and with its answer. */
  private shownTools(tools: ToolRunner): CallTools {
    return {
      specs: tools.specs,
      run: async (call, signal) => {
        // The SDK runs the call as its item arrives, before the response that made it is done: that reply's exchange is the newest.
        const exchangeId = this.toolExchange ?? this.sink.exchanges.list().at(-1)?.id ?? null;
        if (exchangeId !== null) this.update(exchangeId, toolCallStarted(call));
        const result = await tools.run(call, signal);
        if (exchangeId !== null) this.update(exchangeId, toolCallDone(call.id, result));
        return result;
      },
    };
  }

  private addExchange(turn: number | null, user: string): number {
    const id = this.sink.exchanges.nextId();
    const exchange: Exchange = { id, turn, ...freshExchange(user, null, turn === null ? performance.now() : this.turnEndedAt, null) };
    this.sink.exchanges.add(exchange);
    return id;
  }

  private exchangeOfTurn(turn: number): number | null {
    return this.sink.exchanges.list().findLast((exchange) => exchange.turn === turn)?.id ?? null;
  }

  private update(id: number, change: ExchangeChange): void {
    this.sink.exchanges.update(id, change);
  }

  private sinceTurnEnd(exchange: Exchange): number | null {
    return exchange.turnEndedAt === null ? null : performance.now() - exchange.turnEndedAt;
  }
}

/**
 * The Realtime server behind the page's one pipeline interface. Each Start opens one connection;
 * push to talk and the chosen microphone carry over from one to the next.
 */
export class RealtimePipeline implements Pipeline {
  private connection: RealtimeConnection | null = null;
  /** Push to talk: the user holds the talk control. */
  private held = false;
  /** When this page last closed a connection (page clock): the server may not have let that session go yet. */
  private closedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sink: PipelineSink,
    private readonly ports: RealtimePorts,
    private readonly settings: () => Settings,
    /** The connection ended by itself (the server full, the connection lost, the microphone gone): said in words. */
    private readonly onEnded: (message: string) => void,
    private readonly replySilenceMs = REPLY_SILENCE_MS,
  ) {}

  /** Whether the server hears the microphone now: always, unless push to talk is on and not held. */
  private get open(): boolean {
    return !this.settings().push_to_talk || this.held;
  }

  async start(microphoneId: string | null, signal: AbortSignal): Promise<void> {
    this.connection?.stop();
    const settings = this.settings();
    const connection = new RealtimeConnection(
      this.sink,
      this.ports,
      (message) => {
        if (this.connection !== connection) return;
        connection.stop();
        this.connection = null;
        this.onEnded(message);
      },
      this.replySilenceMs,
      this.open,
    );
    this.connection = connection;
    signal.addEventListener('abort', () => this.connection === connection && this.stop(), { once: true });
    try {
      await connection.start(settings, microphoneId, signal);
      void this.refreshDevices();
    } catch (error) {
      if (this.connection === connection) this.connection = null;
      connection.stop();
      // A server with one pipeline still counts the session this page closed a moment ago (New
      // conversation reconnects at once): it is asked again while it lets that one go.
      if (error instanceof ServerFullError && performance.now() - this.closedAt < RELEASE_WAIT_MS && !signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        if (!signal.aborted) return this.start(microphoneId, signal);
      }
      throw error;
    }
  }

  /** Closing the connection (stop) silences the reply and keeps what was heard: nothing more to do first. */
  stopReply(): void {}

  stop(): void {
    if (this.connection) this.closedAt = performance.now();
    this.connection?.stop();
    this.connection = null;
  }

  /** The message goes to the server; while not connected it stays in view, with what to do. */
  sendText(text: string): Promise<void> {
    if (this.connection?.sendText(text)) return Promise.resolve();
    const id = this.sink.exchanges.nextId();
    this.sink.exchanges.add({
      id,
      turn: null,
      ...freshExchange(text, null, null, null),
      status: 'failed',
      error: `Not sent: this page talks to the Realtime server at ${hostOf(this.settings().talk_url)}, and is not connected to it. Press Start to connect, then send it again.`,
    });
    return Promise.resolve();
  }

  hold(held: boolean): void {
    this.held = held;
    this.settingsChanged();
  }

  settingsChanged(): void {
    this.connection?.hold(this.open);
  }

  /** The server's voice detection ends the turn: letting go of push to talk sends silence, which it hears as the end. */
  sendNow(): void {}

  /** A Realtime server keeps its session's history: a new conversation there is a new session, which the session starts. */
  newConversation(): string | null {
    return this.connection ? 'The server remembers what was said in a session, so the page connected again for a fresh one.' : null;
  }

  /** A Realtime server is given no history by its clients: the earlier exchanges are shown, and the server starts afresh. */
  continueConversation(): string | null {
    return this.connection ? 'The page connected again for a fresh session: the server does not hear the earlier exchanges shown here.' : null;
  }

  async selectMicrophone(deviceId: string | null): Promise<void> {
    await this.connection?.switchMicrophone(deviceId);
  }

  selectSpeaker(): Promise<void> {
    return Promise.resolve();
  }

  async resume(): Promise<void> {
    await this.connection?.resume();
  }

  async refreshDevices(): Promise<void> {
    try {
      this.sink.emit({ kind: 'microphones', microphones: await this.ports.listMicrophones() });
    } catch {
      // The list is a convenience; the default microphone works without it.
    }
  }
}
