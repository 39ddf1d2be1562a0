/**
 * The pipeline in the page: the microphone and the VAD (listening), speech to text, the language
 * model and the voice, wired into the turn orchestrator, told in the pipeline's words. It owns
 * the policies between stages: the user's voice goes to the orchestrator's barge-in (duck, then
 * cut or go on after a backchannel); half duplex mutes the microphone while the assistant speaks;
 * the thinking cue fills a silence; a stage that stops after it was ready comes back by itself
 * once; no stage sends anything to a host the user has not allowed, or a key where it was not
 * entered for (`gate`). Stages come in as ports, so it runs in Node under test with fake stages.
 */
import type { MicrophoneInfo } from '../audio/microphone';
import type { LoadProgress } from '../stages';
import type { SecretKey } from '../settings/keyBinding';
import { pickSettings, type SettingKey, type Settings } from '../settings/schema';
import { RestartPolicy, errorMessage, stageStopped } from '../stages';
import { LANGUAGE_MODEL_SETTINGS, audioInputProblem, type LanguageModelBackend, type LanguageModelSettings, type LanguageModelStatus } from '../stages/llm';
import { PartialScheduler, TRANSCRIBER_SETTINGS, type Transcriber, type TranscriberEvent, type TranscriberSettings, type TurnAudio } from '../stages/stt';
import { VOICE_SETTINGS, type SpeechSynthesizer, type VoiceSettings, type VoiceStatus } from '../stages/tts';
import { LISTENER_SETTINGS, listenerConfig, type ListenerConfig, type ListenerEvent, type TurnEvent } from '../stages/vad';
import { AssistantVoice, type AssistantVoicePorts, type ReplyVoiceChoice } from './assistantVoice';
import type { Exchange, ExchangeLog } from './exchange';
import type { Pipeline, PipelineAlert, PipelineEvent, PipelineSink, PipelineTools, StageName, StageStatus } from './pipeline';
import type { ReplySpeechEvents } from './replySpeech';
import type { ReplyVoice } from './replyVoice';
import { markMoment } from './timeline';
import { TranscriberSlot } from './transcriberSlot';
import { TurnOrchestrator } from './turnOrchestrator';

/** Listening once started, as the pipeline drives it. */
export interface ListenerControl {
  switchMicrophone(deviceId: string | null): Promise<void>;
  mute(muted: boolean): void;
  /** Ends the turn being heard now. */
  endTurn(): Promise<void>;
  /** Push to talk held or let go. */
  hold(holding: boolean): Promise<void>;
  resume(): Promise<void>;
  stop(): void;
}

/** The stages, as the pipeline starts them: the page passes the real ones, a test fakes them. */
export interface LocalStages {
  /** Opens the microphone and starts listening; the signal aborts a start still under way (the microphone is then closed, or never opened). */
  readonly startListener: (config: ListenerConfig, onEvent: (event: ListenerEvent) => void, signal: AbortSignal) => Promise<ListenerControl>;
  readonly listMicrophones: () => Promise<readonly MicrophoneInfo[]>;
  /** The output devices, or null where the browser cannot choose the speakers. */
  readonly listSpeakers: () => Promise<readonly MicrophoneInfo[] | null>;
  readonly startTranscriber: (settings: TranscriberSettings, onEvent: (event: TranscriberEvent) => void) => Promise<Transcriber | null>;
  readonly languageModels: (onStatus: (status: LanguageModelStatus) => void) => {
    backend(settings: LanguageModelSettings): Promise<LanguageModelBackend>;
    prepare(settings: LanguageModelSettings): void;
    restart(settings: LanguageModelSettings): void;
  };
  readonly voiceModels: (onStatus: (status: VoiceStatus) => void) => {
    forReply(settings: VoiceSettings, language: string | null, outputRate: number): SpeechSynthesizer;
    prepare(settings: VoiceSettings, outputRate: number): void;
    resetLanguage(): void;
  };
  readonly openSpeakers: AssistantVoicePorts['openSpeakers'];
  readonly browserVoice: AssistantVoicePorts['browserVoice'];
  /** The page's address (models on this site are found from it), and whether it is cross-origin isolated. */
  readonly page: { readonly href: string; readonly crossOriginIsolated: boolean };
}

/** Where a stage may send what it sends: the page's consent to hosts and keys, as errors that say what to do. */
export interface DestinationGate {
  /** Why the first of these settings' hosts may not be used yet, or null. */
  waitingFor(settings: Settings, keys: readonly SettingKey[]): Error | null;
  /** Why a key may not go with a request yet (it was entered for another host), or null. */
  heldKey(settings: Settings, key: SecretKey): Error | null;
}

export interface LocalPipelinePorts {
  /** The settings in effect (those that apply at the next start keep their value while listening). */
  readonly settings: () => Settings;
  readonly gate: DestinationGate;
  /** Listening's own worker stopped (crashed, stopped answering): the owner starts it again or says so. */
  readonly onListeningStopped: (code: string, message: string) => void;
  readonly tools: PipelineTools;
}

/**
 * One start of listening: what it started, and whether it was stopped (a start still loading may
 * be). A new run's listener starts only once the last run's start has settled, so at most one
 * microphone stream and one listener exist at any time.
 */
interface Run {
  listener: ListenerControl | null;
  transcriber: Transcriber | null;
  /** Where the transcriber comes from: kept loaded for the next run when this one ends. */
  slot: TranscriberSlot | null;
  /** When live partials go to the transcriber (never ahead of a final). */
  partials: PartialScheduler | null;
  /** Finals heard before speech to text was ready (their partials are not kept). */
  readonly waiting: TurnAudio[];
  stopped: boolean;
  /** The transcriber's state as last told (a non-fatal error keeps it). */
  sttStatus: StageStatus;
}

export class LocalPipeline implements Pipeline {
  private readonly turns: TurnOrchestrator;
  private readonly voice: AssistantVoice;
  private readonly models: ReturnType<LocalStages['languageModels']>;
  private readonly voices: ReturnType<LocalStages['voiceModels']>;
  private run: Run | null = null;
  /** Settles once the last run's listener start has (started, failed or been aborted). */
  private listenerSettled: Promise<unknown> = Promise.resolve();
  private storageFullSaid = false;
  /** Counts the silence before the thinking cue. */
  private cueTimer: ReturnType<typeof setTimeout> | null = null;
  private cueOn = false;
  /** Half duplex wants the microphone muted (the assistant is speaking). */
  private halfDuplexMuted = false;
  /** Push to talk: the user holds the talk control. */
  private held = false;
  private readonly sttRestarts = new RestartPolicy();
  /** Speech to text loaded while not listening (at page open, or kept after Stop). */
  private standby: TranscriberSlot | null = null;
  private speakerId: string | null = null;

  constructor(
    private readonly sink: PipelineSink,
    private readonly stages: LocalStages,
    private readonly ports: LocalPipelinePorts,
  ) {
    this.models = stages.languageModels((status) => this.onModelStatus(status));
    this.voices = stages.voiceModels((status) => this.onVoiceStatus(status));
    this.voice = new AssistantVoice({
      openSpeakers: stages.openSpeakers,
      browserVoice: stages.browserVoice,
      onSpeaking: (speaking) => this.onAssistantSpeaking(speaking),
      onPlayed: (played) => this.emit({ kind: 'assistant_played', ...played }),
      onSuspended: (suspended) => this.emit({ kind: 'speakers_suspended', suspended }),
    });
    this.turns = new TurnOrchestrator({
      settings: () => this.settings(),
      transcribe: (audio) => this.transcribe(audio),
      backend: (settings) => this.languageModel(settings),
      voice: (events, language) => this.replyVoice(events, language),
      stopVoice: (reply) => this.voice.stopReply(reply),
      audible: () => this.voice.audible,
      duck: (ducked) => this.voice.duck(ducked),
      exchanges: this.exchanges(),
      tools: (settings) => ports.tools.runner(settings),
      spokenAnswer: (turn, text) => {
        const decision = ports.tools.answerSpoken(text);
        if (decision !== null) this.emit({ kind: 'tool_answer', turn, decision });
        return decision !== null;
      },
      askingUser: () => ports.tools.waiting,
      mark: (moment, id) => {
        markMoment(moment, id);
        if (moment === 'barge-in') this.emit({ kind: 'interrupted' });
      },
      backchannel: (turn) => this.emit({ kind: 'backchannel', turn }),
      replyChanged: () => this.refreshCue(),
    });
    void this.refreshSpeakers();
  }

  private settings(): Settings {
    return this.ports.settings();
  }

  /** The conversation's exchanges as the orchestrator changes them: every change may give the assistant the turn, or take it (the thinking cue). */
  private exchanges(): ExchangeLog {
    const log = this.sink.exchanges;
    return {
      list: () => log.list(),
      nextId: () => log.nextId(),
      add: (exchange) => {
        log.add(exchange);
        this.refreshCue();
      },
      update: (id, change) => {
        log.update(id, change);
        this.refreshCue();
      },
      clear: () => {
        log.clear();
        this.refreshCue();
      },
    };
  }

  private emit(event: PipelineEvent): void {
    this.sink.emit(event);
  }

  private alert(alert: PipelineAlert): void {
    this.emit({ kind: 'alert', alert });
  }

  /** Starts listening: speech to text, the language model and the voice load while the VAD starts. */
  async start(microphoneId: string | null, signal: AbortSignal): Promise<void> {
    const run: Run = { listener: null, transcriber: null, slot: null, partials: null, waiting: [], stopped: false, sttStatus: 'off' };
    this.run = run;
    signal.addEventListener('abort', () => this.end(run), { once: true });
    const settings = this.settings();
    void this.startTranscription(run, settings);
    const modelWaits = this.ports.gate.waitingFor(settings, destinationsOf('llm', settings));
    if (modelWaits) this.stage('llm', 'failed', modelWaits.message);
    else this.models.prepare(pickSettings(settings, LANGUAGE_MODEL_SETTINGS));
    this.openVoice(settings);
    // A Smart Turn model on a host not allowed yet: turns end on silence until it is.
    const smartTurnWaits = settings.smart_turn ? this.ports.gate.waitingFor(settings, ['smart_turn_model_path', ...(settings.smart_turn_model_path?.match(/^https?:\/\//i) ? [] : (['models_base_url'] as const))]) : null;
    const listening = smartTurnWaits ? { ...settings, smart_turn: false } : settings;
    if (smartTurnWaits) this.emit({ kind: 'listening_notice', message: `Smart Turn is off for now, so turns end on silence: ${smartTurnWaits.message}` });
    const config = listenerConfig(pickSettings(listening, LISTENER_SETTINGS), microphoneId, this.stages.page.href, this.stages.page.crossOriginIsolated);
    const previous = this.listenerSettled;
    const starting = (async () => {
      // The last run's microphone closes before this one's opens.
      await previous;
      signal.throwIfAborted();
      return this.stages.startListener(
        config,
        (event) => {
          if (this.run === run) this.onListenerEvent(event);
        },
        signal,
      );
    })();
    this.listenerSettled = starting.catch(() => undefined);
    try {
      const listener = await starting;
      if (run.stopped) {
        listener.stop();
        return;
      }
      run.listener = listener;
      // The microphone opened during the start: push to talk and half duplex apply from here.
      this.settingsChanged();
      if (this.held) void listener.hold(true);
    } catch (error) {
      if (run.stopped) return;
      this.end(run);
      throw error;
    }
  }

  /** Stops listening; a reply still speaking goes on (a typed message's, or one a failed start leaves). */
  stop(): void {
    if (this.run) this.end(this.run);
  }

  stopReply(): void {
    void this.turns.stopReply();
  }

  private end(run: Run): void {
    if (run.stopped) return;
    run.stopped = true;
    this.held = false;
    run.listener?.stop();
    run.partials?.dispose();
    // Speech to text stays loaded for the next start.
    if (run.slot && !run.slot.failed) {
      run.slot.detach();
      this.standby?.dispose();
      this.standby = run.slot;
    } else run.slot?.dispose();
    if (this.run === run) this.run = null;
    this.turns.stopListening();
    this.stage('stt', 'off', null);
  }

  async resume(): Promise<void> {
    await this.run?.listener?.resume();
  }

  /** While listening, the stream switches at once and everything else goes on; rejects with why it could not. */
  async selectMicrophone(deviceId: string | null): Promise<void> {
    await this.run?.listener?.switchMicrophone(deviceId);
  }

  hold(held: boolean): void {
    this.held = held;
    if (held) void this.run?.listener?.hold(true);
    this.settingsChanged();
  }

  sendNow(): void {
    void this.run?.listener?.endTurn();
  }

  /** Rejects with why those speakers could not be used (the voice then plays through the default output). */
  async selectSpeaker(deviceId: string | null): Promise<void> {
    this.speakerId = deviceId;
    await this.voice.setSink(deviceId);
  }

  /** A typed message; the click that sent it also opens the speakers. */
  sendText(text: string): Promise<void> {
    this.openVoice(this.settings());
    return this.turns.sendMessage(text);
  }

  /** Forgets the conversation (the models stay loaded); the voice speaks as the settings say again. */
  newConversation(): string | null {
    this.turns.newConversation();
    this.voices.resetLanguage();
    return null;
  }

  continueConversation(exchanges: readonly Exchange[]): string | null {
    this.turns.continueConversation(exchanges);
    this.voices.resetLanguage();
    return null;
  }

  /** Resumes speakers the browser paused; call it from a click. */
  resumeSpeakers(): void {
    this.voice.resume();
  }

  async refreshDevices(): Promise<void> {
    await Promise.all([this.refreshMicrophones(), this.refreshSpeakers()]);
  }

  /**
   * What the microphone hears: silence while the assistant speaks with half duplex
   * (`local_audio_block_mic_during_playback`), and with push to talk while not held.
   */
  settingsChanged(): void {
    const settings = this.settings();
    const halfDuplex = this.halfDuplexMuted && settings.local_audio_block_mic_during_playback;
    const pushToTalk = settings.push_to_talk && !this.held;
    this.run?.listener?.mute(halfDuplex || pushToTalk);
  }

  /** Whether the assistant has the turn (a reply being prepared or spoken); the session's cue and the page read it. */
  private get awaitingVoice(): boolean {
    // A tool call waiting for the user's answer: the assistant waits for them, it is not thinking.
    return this.turns.awaitingVoice && !this.ports.tools.waiting;
  }

  private stage(stage: StageName, status: StageStatus, detail: string | null, label?: string): void {
    if (stage === 'stt' && this.run) this.run.sttStatus = status;
    this.emit({ kind: 'stage', stage, status, detail, ...(label === undefined ? {} : { label }) });
  }

  // --- Speech to text.

  private async startTranscription(run: Run, settings: Settings): Promise<void> {
    this.stage('stt', settings.stt === 'none' ? 'off' : 'loading', null);
    // With stt none the audio itself goes to the language model, which must be able to take it.
    const problem =
      settings.stt === 'none'
        ? audioInputProblem(settings)
        : (this.ports.gate.waitingFor(settings, destinationsOf('stt', settings)) ?? (settings.stt === 'openai' ? this.ports.gate.heldKey(settings, 'openai_stt_api_key') : null))?.message ?? null;
    if (problem) {
      this.stage('stt', 'failed', problem);
      return;
    }
    const slot = this.transcriberSlot(settings);
    this.standby = null;
    run.slot = slot;
    slot.attach((event) => {
      if (this.run === run) this.onTranscriberEvent(event);
    });
    try {
      const transcriber = await slot.transcriber;
      // Stopped meanwhile: the slot went to standby (or was disposed) with the run.
      if (run.stopped) return;
      run.transcriber = transcriber;
      run.partials = transcriber && new PartialScheduler(transcriber);
      for (const audio of run.waiting.splice(0)) run.partials?.submit(audio);
    } catch (error) {
      if (!run.stopped) this.stage('stt', 'failed', errorMessage(error));
    }
  }

  /**
   * Loads speech to text before listening starts (a returning visitor whose model is cached:
   * nothing is downloaded, so nothing needs asking), so that Start finds it ready.
   */
  prepareTranscription(): void {
    if (this.run || this.ports.gate.waitingFor(this.settings(), destinationsOf('stt', this.settings()))) return;
    this.standby = this.transcriberSlot(this.settings());
  }

  /** The standby transcriber if it was started with these settings and still works; otherwise a new one. */
  private transcriberSlot(settings: Settings): TranscriberSlot {
    const picked = pickSettings(settings, TRANSCRIBER_SETTINGS);
    const key = JSON.stringify(picked);
    const standby = this.standby;
    if (standby && standby.key === key && !standby.failed) return standby;
    standby?.dispose();
    this.standby = null;
    return new TranscriberSlot(key, (onEvent) => this.stages.startTranscriber(picked, onEvent));
  }

  /** Speech to text stopped after it was ready: a fresh one takes over (by itself once); turns heard meanwhile wait for it. */
  private onTranscriberStopped(code: string, message: string): void {
    const run = this.run;
    if (!run) return;
    run.partials?.dispose();
    run.partials = null;
    run.slot?.dispose();
    run.slot = null;
    run.transcriber = null;
    const stopped = stageStopped({ code, message }, 'Speech to text', this.sttRestarts);
    const { restarting } = stopped;
    const said = `${stopped.message} A turn being transcribed then was lost: say it again.`;
    const restart = () => {
      if (this.run === run && !run.transcriber) void this.startTranscription(run, this.settings());
    };
    this.noteStageStopped('speech to text', said, restarting, restart);
    if (restarting) restart();
    else this.stage('stt', 'failed', said);
  }

  /** A turn's audio for speech to text; finals heard while it still starts wait for it. */
  private transcribe(audio: TurnAudio): void {
    const run = this.run;
    if (!run) return;
    if (audio.mode === 'partial') {
      // A partial is news only while it can run at once: one heard while the model loads would only hold up the finals.
      if (run.sttStatus === 'ready') run.partials?.submit(audio);
    } else if (run.partials) run.partials.submit(audio);
    else run.waiting.push(audio);
  }

  private onTranscriberEvent(event: TranscriberEvent): void {
    switch (event.kind) {
      case 'progress':
        this.noteProgress(event.progress);
        this.emit({ kind: 'stage_file', stage: 'stt', progress: event.progress });
        break;
      case 'ready':
        this.stage('stt', 'ready', null, event.description);
        break;
      case 'transcript':
        this.emit({ kind: 'user_transcript', turn: event.turn, revision: event.revision, text: event.text, final: event.mode === 'final', ...(event.mode === 'final' ? { language: event.language, inferenceMs: event.inferenceMs } : {}) });
        if (event.mode === 'partial') {
          this.run?.partials?.partialSettled(event.inferenceMs);
          this.turns.onPartial(event.turn, event.revision, event.text);
          break;
        }
        markMoment('transcript', event.turn);
        void this.turns.replyToTurn(event.turn, event.text, event.language, event.revision);
        break;
      case 'dropped':
        if (event.mode === 'partial') this.run?.partials?.partialSettled(null);
        break;
      case 'stopped':
        this.onTranscriberStopped(event.code, event.message);
        break;
      case 'error': {
        // A server that failed its warm-up is still asked for each turn: listening is not held up for it.
        const status = this.run?.sttStatus ?? 'off';
        this.stage('stt', event.fatal ? 'failed' : status === 'loading' ? 'ready' : status, event.message);
        break;
      }
    }
  }

  // --- Listening.

  private onListenerEvent(event: ListenerEvent): void {
    switch (event.kind) {
      case 'loading':
        this.noteProgress(event.progress);
        this.emit({ kind: 'listening_download', progress: event.progress });
        break;
      case 'frame': {
        this.emit({ kind: 'level', rms: event.rms, probability: event.probability });
        const voiced = event.probability >= this.settings().thresh;
        // No partial starts while the speech may be ending; perhaps the user starting to speak over the reply: it is lowered at once, stopped once the speech is confirmed.
        this.run?.partials?.voiceActivity(voiced);
        if (voiced) this.turns.voiceHeard();
        break;
      }
      case 'turn':
        this.showTurnEvent(event.event);
        // Last: speech to text takes (transfers) the event's audio.
        this.turns.onTurnEvent(event.event);
        // A released turn gives the assistant the turn.
        this.refreshCue();
        break;
      case 'notice':
        this.emit({ kind: 'listening_notice', message: event.message });
        break;
      case 'listening':
        this.emit({ kind: 'listening', status: 'listening', detail: null, sampleRate: event.sampleRate });
        void this.refreshMicrophones();
        break;
      case 'suspended':
        this.emit({ kind: 'listening', status: 'suspended', detail: event.message });
        break;
      case 'microphone_switched':
        this.emit({ kind: 'microphone_switched', message: event.message });
        break;
      case 'devices_changed':
        void this.refreshDevices();
        break;
      case 'error':
        if (!event.fatal) {
          this.emit({ kind: 'listening_notice', message: event.message });
          break;
        }
        if (this.run) this.end(this.run);
        this.ports.onListeningStopped(event.code, event.message);
        break;
    }
  }

  private showTurnEvent(event: TurnEvent): void {
    switch (event.kind) {
      case 'speech_started':
        this.emit({ kind: 'user_started_speaking', turn: event.turn, revision: event.revision });
        break;
      case 'speech_stopped':
        this.emit({ kind: 'user_stopped_speaking' });
        break;
      case 'segment': {
        const { turn, revision, startMs, endMs, speechStartMs, speechEndMs, smartTurn, delayMs, graceMs, audio } = event;
        this.emit({ kind: 'segment', segment: { turn, revision, startMs, endMs, speechStartMs, speechEndMs, durationS: audio.length / 16_000, smartTurn, delayMs, graceMs, released: false } });
        break;
      }
      case 'turn_releasable':
        this.emit({ kind: 'turn_released', turn: event.turn, revision: event.revision });
        break;
      case 'smart_turn_failed':
        this.emit({ kind: 'listening_notice', message: `Smart Turn failed on the last turn (${event.message}); it was ended by silence alone.` });
        break;
      case 'progressive':
        break;
    }
  }

  private async refreshMicrophones(): Promise<void> {
    try {
      this.emit({ kind: 'microphones', microphones: await this.stages.listMicrophones() });
      void this.refreshSpeakers();
    } catch {
      // The list is a convenience; listening works with the default microphone without it.
    }
  }

  // --- The language model.

  private languageModel(settings: Settings): Promise<LanguageModelBackend> {
    const waiting = this.ports.gate.waitingFor(settings, destinationsOf('llm', settings));
    if (waiting) return Promise.reject(waiting);
    if (settings.llm_backend === 'chat-completions' || settings.llm_backend === 'responses-api') {
      const held = this.ports.gate.heldKey(settings, 'responses_api_api_key');
      if (held) return Promise.reject(held);
    }
    return this.models.backend(pickSettings(settings, LANGUAGE_MODEL_SETTINGS));
  }

  private onModelStatus(status: LanguageModelStatus): void {
    switch (status.kind) {
      case 'loading':
        this.stage('llm', 'loading', null, status.label);
        break;
      case 'file':
        this.noteProgress(status.progress);
        this.emit({ kind: 'stage_file', stage: 'llm', progress: status.progress });
        break;
      case 'step':
        this.emit({ kind: 'stage_step', stage: 'llm', fraction: status.fraction, text: status.text });
        break;
      case 'ready':
        this.stage('llm', 'ready', status.description, status.label);
        break;
      case 'failed':
        this.stage('llm', 'failed', status.message, status.label);
        break;
      case 'stopped':
        this.noteStageStopped('language model', status.message, status.restarting, () => this.models.restart(pickSettings(this.settings(), LANGUAGE_MODEL_SETTINGS)));
        if (!status.restarting) this.stage('llm', 'failed', status.message, status.label);
        break;
    }
  }

  /** A stage stopped after it was ready: the page says so, and whether it is starting again or waits for the user. */
  private noteStageStopped(stage: string, message: string, restarting: boolean, restart: () => void): void {
    if (restarting) {
      this.alert({ level: 'warning', title: `The ${stage} stopped and is starting again`, lines: [message] });
      return;
    }
    this.alert({ level: 'error', title: `The ${stage} stopped again`, lines: [message, 'It was started again once already. Try again, or reload the page if it keeps stopping.'], actions: [{ label: `Start the ${stage} again`, run: restart }] });
  }

  /** A model file the browser had no room to keep: the page says so, once. */
  private noteProgress(progress: LoadProgress): void {
    if (!progress.storageFull || this.storageFullSaid) return;
    this.storageFullSaid = true;
    this.alert({
      level: 'warning',
      title: 'The browser’s storage is full',
      lines: [`${progress.file} could not be kept, so it runs from memory for this visit and downloads again next time. Delete models you no longer use (Models, at the top), or allow this site more storage.`],
    });
  }

  // --- The assistant's voice.

  /** Opens the speakers (from the click that started or sent something), then loads the voice. */
  private openVoice(settings: Settings): void {
    this.voice.open().then(
      (speakers) => {
        if (this.speakerId !== null) void this.selectSpeaker(this.speakerId).catch(() => undefined);
        if (settings.tts === 'web-speech') return;
        const waiting = this.ports.gate.waitingFor(settings, destinationsOf('tts', settings));
        if (waiting) this.stage('tts', 'failed', waiting.message);
        else this.voices.prepare(pickSettings(settings, VOICE_SETTINGS), speakers.sampleRate);
      },
      (error: unknown) => this.stage('tts', 'failed', errorMessage(error)),
    );
  }

  private replyVoice(events: ReplySpeechEvents, language: string | null): ReplyVoice | null {
    const settings = this.settings();
    if (settings.tts === 'web-speech') {
      const reply = this.voice.startReply({ kind: 'browser', options: { voice: settings.web_speech_voice, rate: settings.web_speech_rate } }, events);
      if (reply) this.stage('tts', 'ready', settings.web_speech_voice ? `the browser's voice ${settings.web_speech_voice}` : "the browser's own voice");
      else this.stage('tts', 'failed', 'This browser has no speech synthesis (the Web Speech API). Choose tts kokoro or openai; replies are shown as text meanwhile.');
      return reply;
    }
    const held = this.ports.gate.waitingFor(settings, destinationsOf('tts', settings)) ?? (settings.tts === 'openai' ? this.ports.gate.heldKey(settings, 'openai_tts_api_key') : null);
    const voiceSettings = pickSettings(settings, VOICE_SETTINGS);
    const choice: ReplyVoiceChoice = {
      kind: 'samples',
      synthesizer: (outputRate) => (held ? { speak: () => Promise.reject(held) } : this.voices.forReply(voiceSettings, language, outputRate)),
    };
    return this.voice.startReply(choice, events);
  }

  private onVoiceStatus(status: VoiceStatus): void {
    switch (status.kind) {
      case 'loading':
        this.stage('tts', 'loading', null);
        break;
      case 'file':
        this.noteProgress(status.progress);
        this.emit({ kind: 'stage_file', stage: 'tts', progress: status.progress });
        break;
      case 'ready':
        this.stage('tts', 'ready', status.description);
        break;
      case 'failed':
        this.stage('tts', 'failed', status.message);
        break;
      case 'stopped':
        this.noteStageStopped('voice', status.message, status.restarting, () => this.openVoice(this.settings()));
        if (!status.restarting) this.stage('tts', 'failed', status.message);
        break;
      case 'notice':
        this.emit({ kind: 'voice_notice', message: status.notice });
        break;
    }
  }

  private onAssistantSpeaking(speaking: boolean): void {
    this.emit({ kind: 'assistant_audio', speaking });
    this.halfDuplexMuted = speaking;
    this.settingsChanged();
    this.refreshCue();
  }

  /** The thinking cue sounds once the assistant has had the turn without a sound for `thinking_cue_after_ms`. */
  refreshCue(): void {
    const settings = this.settings();
    const waiting = settings.thinking_cue && this.awaitingVoice;
    if (!waiting) {
      if (this.cueTimer !== null) clearTimeout(this.cueTimer);
      this.cueTimer = null;
      if (this.cueOn) this.voice.cue(false);
      this.cueOn = false;
      return;
    }
    if (this.cueOn || this.cueTimer !== null) return;
    this.cueTimer = setTimeout(() => {
      this.cueTimer = null;
      if (!this.awaitingVoice) return;
      this.cueOn = true;
      this.voice.cue(true);
    }, settings.thinking_cue_after_ms);
  }

  private async refreshSpeakers(): Promise<void> {
    try {
      const speakers = await this.stages.listSpeakers();
      // Speakers that went away: the voice moves to the default output.
      if (speakers && this.speakerId !== null && !speakers.some((speaker) => speaker.deviceId === this.speakerId)) {
        await this.selectSpeaker(null);
        this.emit({ kind: 'speakers', speakers, speakerId: null, notice: 'The chosen speakers were disconnected; the voice plays through the default output.' });
        return;
      }
      this.emit({ kind: 'speakers', speakers });
    } catch {
      // The list is a convenience; the default output plays without it.
    }
  }
}

/** The destinations a stage of these settings uses (the models location for what downloads). */
function destinationsOf(stage: StageName, settings: Settings): SettingKey[] {
  switch (stage) {
    case 'stt':
      return settings.stt === 'whisper' ? ['models_base_url'] : settings.stt === 'openai' ? ['openai_stt_base_url'] : [];
    case 'llm':
      return settings.llm_backend === 'transformers' ? ['models_base_url'] : settings.llm_backend === 'web-llm' ? [] : ['responses_api_base_url'];
    case 'tts':
      return settings.tts === 'kokoro' || settings.tts === 'facebookMMS' ? ['models_base_url'] : settings.tts === 'openai' ? ['openai_tts_base_url'] : [];
  }
}
