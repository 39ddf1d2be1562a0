/**
 * One session wires the stages into the turn orchestrator and owns what the user does with the
 * page: start and stop listening, switch microphone, type a message, start a new conversation.
 * It also owns the policies between stages: the user's voice goes to the orchestrator's barge-in
 * (duck, then cut or go on after a backchannel); half duplex mutes the microphone
 * while the assistant speaks; each stage gets only the settings it reads, at the moment its
 * schema entry says (a `next-start` change waits for the next start, with a notice); an API key
 * is used only where it was entered for. Stages come in as ports, so it runs in Node under test
 * with fake stages and fake time.
 */
import type { MicrophoneInfo } from '../audio/microphone';
import type { LoadProgress } from '../models/loadProgress';
import { AssistantVoice, type AssistantVoicePorts, type ReplyVoiceChoice } from '../pipeline/assistantVoice';
import type { ReplySpeechEvents } from '../pipeline/replySpeech';
import type { ReplyVoice } from '../pipeline/replyVoice';
import { markMoment } from '../pipeline/timeline';
import { TurnOrchestrator, freshExchange } from '../pipeline/turnOrchestrator';
import { hostOf } from '../realtime/realtimeCall';
import { describeWaiting, waitingDestinations } from '../settings/hostConsent';
import { describeHeldKey, heldKey, type SecretKey } from '../settings/keyBinding';
import { NEXT_START_KEYS, pickSettings, type SettingKey, type Settings } from '../settings/schema';
import type { SettingsStore } from '../settings/store';
import { LANGUAGE_MODEL_SETTINGS, audioInputProblem, type LanguageModelBackend, type LanguageModelSettings, type LanguageModelStatus } from '../stages/llm';
import { PartialScheduler, TRANSCRIBER_SETTINGS, type Transcriber, type TranscriberEvent, type TranscriberSettings, type TurnAudio } from '../stages/stt';
import { VOICE_SETTINGS, type SpeechSynthesizer, type VoiceSettings, type VoiceStatus } from '../stages/tts';
import { LISTENER_SETTINGS, listenerConfig, type ListenerConfig, type ListenerEvent, type TurnEvent } from '../stages/vad';
import { RestartPolicy, stageStopped } from '../worker/restartPolicy';
import { StageError, errorMessage } from '../worker/stageError';
import { exchangeList, type ConversationStore } from './conversationStore';
import type { ListeningLock } from './listeningLock';
import type { ListeningStore, SegmentView } from './listeningStore';
import type { NoticesStore } from './noticesStore';
import { RemotePipeline, type RemotePorts } from './remotePipeline';
import { TranscriberSlot } from './transcriberSlot';
import { updateTurn, type TranscriptStore } from './transcriptStore';
import type { VoiceStore } from './voiceStore';

/** How many of the latest soft ends of turns the page keeps to show. */
const KEPT_SEGMENTS = 24;
/** How long the page says "Interrupted" after the user spoke over the assistant. */
const INTERRUPTED_MS = 2000;

/** Listening once started, as the session drives it. */
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

/** The stages, as the session starts them: the page passes the real ones, a test fakes them. */
export interface SessionStages {
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
  /** One listening tab at a time. */
  readonly lock: ListeningLock;
  /** The page's address (models on this site are found from it), and whether it is cross-origin isolated. */
  readonly page: { readonly href: string; readonly crossOriginIsolated: boolean };
  /** The microphone, speakers and call of the Realtime client (`pipeline realtime`). */
  readonly realtime: RemotePorts;
}

export interface SessionStores {
  readonly settings: SettingsStore;
  readonly notices: NoticesStore;
  readonly listening: ListeningStore;
  readonly transcripts: TranscriptStore;
  readonly conversation: ConversationStore;
  readonly voice: VoiceStore;
}

/**
 * One start of listening: what it started, and whether it was stopped (a start still loading may
 * be). Start and Stop make one state machine: idle → starting (run, no listener yet) → listening
 * (run with its listener) → idle; Stop in any state ends the run, aborting a start under way. A
 * new run's listener starts only once the last run's start has settled, so at most one
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
  /** The Realtime client, when a server runs the pipeline (then nothing else is started). */
  remote: RemotePipeline | null;
  stopped: boolean;
  /** Aborts the listener's start when the run is stopped first. */
  readonly controller: AbortController;
}

type NextStartSettings = Partial<Settings>;

export class Session {
  private readonly turns: TurnOrchestrator;
  private readonly voice: AssistantVoice;
  private readonly models: ReturnType<SessionStages['languageModels']>;
  private readonly voices: ReturnType<SessionStages['voiceModels']>;
  private run: Run | null = null;
  /** Settles once the last run's listener start has (started, failed or been aborted). */
  private listenerSettled: Promise<unknown> = Promise.resolve();
  /** The `next-start` settings listening was started with: they hold until it stops. */
  private startedWith: NextStartSettings | null = null;
  private effective: { readonly from: Settings; readonly startedWith: NextStartSettings | null; readonly settings: Settings } | null = null;
  private interruptedTimer: ReturnType<typeof setTimeout> | null = null;
  private storageFullSaid = false;
  /** Counts the silence before the thinking cue. */
  private cueTimer: ReturnType<typeof setTimeout> | null = null;
  private cueOn = false;
  /** Half duplex wants the microphone muted (the assistant is speaking). */
  private halfDuplexMuted = false;
  private readonly sttRestarts = new RestartPolicy();
  private readonly listeningRestarts = new RestartPolicy();
  /** The notice about another tab listening, while it shows. */
  private otherTabNotice: number | null = null;
  /** Speech to text loaded while not listening (at page open, or kept after Stop). */
  private standby: TranscriberSlot | null = null;

  constructor(
    private readonly stores: SessionStores,
    private readonly stages: SessionStages,
  ) {
    this.models = stages.languageModels((status) => this.onModelStatus(status));
    this.voices = stages.voiceModels((status) => this.onVoiceStatus(status));
    this.voice = new AssistantVoice({
      openSpeakers: stages.openSpeakers,
      browserVoice: stages.browserVoice,
      onSpeaking: (speaking) => this.onAssistantSpeaking(speaking),
      onPlayed: ({ samples, level, cueSamples }) =>
        stores.voice.setState((state) => ({ samplesPlayed: state.samplesPlayed + samples, outputLevel: level, cueSamplesPlayed: state.cueSamplesPlayed + cueSamples })),
      onSuspended: (suspended) => stores.voice.setState({ suspended }),
    });
    this.turns = new TurnOrchestrator({
      settings: () => this.settings(),
      transcribe: (audio) => this.transcribe(audio),
      backend: (settings) => this.languageModel(settings),
      voice: (events, language) => this.replyVoice(events, language),
      stopVoice: (reply) => this.voice.stopReply(reply),
      audible: () => this.voice.audible,
      duck: (ducked) => this.voice.duck(ducked),
      exchanges: exchangeList(stores.conversation),
      mark: (moment, id) => {
        markMoment(moment, id);
        if (moment === 'barge-in') this.noteInterrupted();
      },
      backchannel: (turn) => updateTurn(stores.transcripts, turn, 'latest', { backchannel: true }),
    });
    stores.settings.subscribe(() => {
      this.noteSettingsWaiting();
      this.applyMute();
    });
    // Every change of an exchange may give the assistant the turn, or take it.
    stores.conversation.subscribe(() => this.refreshCue());
    void this.refreshSpeakers();
  }

  /**
   * The settings in effect: the store's, except that `next-start` settings keep the values
   * listening started with until it stops. The same object while nothing changes, so stages can
   * tell a change by identity.
   */
  settings(): Settings {
    const from = this.stores.settings.getState().settings;
    if (this.effective?.from !== from || this.effective.startedWith !== this.startedWith) {
      this.effective = { from, startedWith: this.startedWith, settings: this.startedWith ? { ...from, ...this.startedWith } : from };
    }
    return this.effective.settings;
  }

  /**
   * Starts listening with the current settings; call it from a click. A start already under way
   * is not repeated. Where another tab listens, the page says so and offers to take over
   * (`takeOver`: this tab listens, the other stops).
   */
  async start(takeOver = false): Promise<void> {
    if (this.run) return;
    const run: Run = { listener: null, transcriber: null, slot: null, partials: null, waiting: [], remote: null, stopped: false, controller: new AbortController() };
    this.run = run;
    this.stores.listening.setState({ status: 'starting', message: null, notice: null, download: null, segments: [], framesHeard: 0, waitingForRestart: [] });
    this.dismissOtherTabNotice();
    const held = await this.stages.lock.acquire(() => this.onListeningTaken(run), takeOver);
    if (run.stopped) {
      // Stopped while the lock was coming; a newer start may hold it now.
      if (held && this.run === null) this.stages.lock.release();
      return;
    }
    if (!held) {
      this.run = null;
      this.stores.listening.setState({ status: 'idle' });
      this.otherTabNotice = this.stores.notices
        .getState()
        .push('info', 'Another tab is listening', [`${this.stages.lock.holder()} Only one tab listens at a time, so nothing is heard or answered twice.`], [{ label: 'Listen in this tab instead', run: () => void this.start(true) }]);
      return;
    }
    this.startedWith = pickSettings(this.stores.settings.getState().settings, NEXT_START_KEYS);
    const settings = this.settings();
    if (settings.pipeline === 'realtime') {
      await this.startRemote(run, settings);
      return;
    }
    // Speech to text, the language model and the voice load while the VAD starts.
    void this.startTranscription(run, settings);
    const modelWaits = this.waitingFor(settings, Session.destinationsOf('llm', settings));
    if (modelWaits) this.stores.conversation.setState((state) => ({ model: { ...state.model, status: 'failed', detail: modelWaits.message, progress: null } }));
    else this.models.prepare(pickSettings(settings, LANGUAGE_MODEL_SETTINGS));
    this.openVoice(settings);
    // A Smart Turn model on a host not allowed yet: turns end on silence until it is.
    const smartTurnWaits = settings.smart_turn ? this.waitingFor(settings, ['smart_turn_model_path', ...(settings.smart_turn_model_path?.match(/^https?:\/\//i) ? [] : (['models_base_url'] as const))]) : null;
    const listening = smartTurnWaits ? { ...settings, smart_turn: false } : settings;
    if (smartTurnWaits) this.stores.listening.setState({ notice: `Smart Turn is off for now, so turns end on silence: ${smartTurnWaits.message}` });
    const config = listenerConfig(pickSettings(listening, LISTENER_SETTINGS), this.stores.listening.getState().microphoneId, this.stages.page.href, this.stages.page.crossOriginIsolated);
    const previous = this.listenerSettled;
    const starting = (async () => {
      // The last run's microphone closes before this one's opens.
      await previous;
      run.controller.signal.throwIfAborted();
      return this.stages.startListener(
        config,
        (event) => {
          if (this.run === run) this.onListenerEvent(event);
        },
        run.controller.signal,
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
      this.applyMute();
      if (this.stores.listening.getState().holding) void listener.hold(true);
    } catch (error) {
      if (run.stopped) return;
      this.end(run);
      this.stores.listening.setState({ status: 'error', message: errorMessage(error), download: null });
    }
  }

  /** The page as the client of a Realtime server: no stage of its own starts, nothing is downloaded. */
  private async startRemote(run: Run, settings: Settings): Promise<void> {
    const fail = (message: string) => {
      if (run.stopped) return;
      this.end(run);
      this.stores.listening.setState({ status: 'error', message, notice: null, download: null });
    };
    const held = this.waitingFor(settings, ['talk_url']) ?? this.heldKeyError(settings, 'talk_api_key');
    if (held) {
      fail(held.message);
      return;
    }
    run.remote = new RemotePipeline(this.stores, this.stages.realtime, fail);
    // Push to talk holds the microphone from the first frame.
    run.remote.hold(!settings.push_to_talk || this.stores.listening.getState().holding);
    try {
      await run.remote.start(settings, this.stores.listening.getState().microphoneId, run.controller.signal);
      void this.refreshMicrophones();
    } catch (error) {
      fail(errorMessage(error));
    }
  }

  /** Stops listening, also while it is still starting; the conversation stays. */
  stop(): void {
    if (this.run) this.end(this.run);
    this.stores.listening.setState({ status: 'idle', message: null, download: null });
  }

  /** Resumes audio the browser paused; call it from a click. */
  async resume(): Promise<void> {
    await this.run?.listener?.resume();
    await this.run?.remote?.resume();
  }

  /** Chooses the microphone; while listening, the stream switches at once and everything else goes on. */
  async selectMicrophone(deviceId: string | null): Promise<void> {
    this.stores.listening.setState({ microphoneId: deviceId });
    try {
      await this.run?.listener?.switchMicrophone(deviceId);
    } catch (error) {
      this.stores.listening.setState({ notice: `That microphone could not be opened, so listening goes on with the one before: ${errorMessage(error)}` });
    }
  }

  /** Push to talk: the talk control or the space bar pressed. Starts listening first when it is off. */
  talkPressed(): void {
    this.stores.listening.setState({ holding: true });
    if (!this.run) void this.start();
    void this.run?.listener?.hold(true);
    this.applyMute();
  }

  /** Push to talk let go: the turn ends now. */
  talkReleased(): void {
    if (!this.stores.listening.getState().holding) return;
    this.stores.listening.setState({ holding: false });
    this.applyMute();
    void this.run?.listener?.endTurn();
  }

  /** Ends the turn being heard now, in either mode. */
  sendNow(): void {
    void this.run?.listener?.endTurn();
  }

  /** Chooses the speakers (null: the system's default). */
  async selectSpeaker(deviceId: string | null): Promise<void> {
    this.stores.voice.setState({ speakerId: deviceId });
    try {
      await this.voice.setSink(deviceId);
    } catch (error) {
      this.stores.voice.setState({ speakerId: null, notice: `Those speakers could not be used, so the system’s default output plays the voice: ${errorMessage(error)}` });
    }
  }

  /** A typed message; the click that sent it also opens the speakers. */
  sendMessage(text: string): Promise<void> {
    const settings = this.settings();
    if (settings.pipeline === 'realtime') {
      // The message goes to the server; while not connected it stays in view, with what to do.
      if (!this.run?.remote?.sendText(text)) {
        const exchanges = exchangeList(this.stores.conversation);
        exchanges.add({
          id: exchanges.nextId(),
          turn: null,
          ...freshExchange(text, null, null, null),
          status: 'failed',
          error: `Not sent: this page talks to the Realtime server at ${hostOf(settings.talk_url)}, and is not connected to it. Press Start to connect, then send it again.`,
        });
      }
      return Promise.resolve();
    }
    this.openVoice(this.settings());
    return this.turns.sendMessage(text);
  }

  /** Forgets the conversation (the models stay loaded); the voice speaks as the settings say again. */
  newConversation(): void {
    this.turns.newConversation();
    this.voices.resetLanguage();
    // A Realtime server keeps its session's history: a new conversation there is a new session.
    const run = this.run;
    if (run?.remote) {
      this.end(run);
      void this.start();
      this.stores.notices.getState().push('info', 'A new session with the Realtime server', ['The server remembers what was said in a session, so the page connected again for a fresh one.']);
    }
  }

  /** Resumes speakers the browser paused; call it from a click. */
  resumeSpeakers(): void {
    this.voice.resume();
  }

  private end(run: Run): void {
    run.stopped = true;
    run.controller.abort(new DOMException('Listening was stopped.', 'AbortError'));
    this.stages.lock.release();
    this.stores.listening.setState({ holding: false });
    run.listener?.stop();
    run.remote?.stop();
    run.partials?.dispose();
    // Speech to text stays loaded for the next start.
    if (run.slot && !run.slot.failed) {
      run.slot.detach();
      this.standby?.dispose();
      this.standby = run.slot;
    } else run.slot?.dispose();
    if (this.run === run) this.run = null;
    this.startedWith = null;
    this.turns.stopListening();
    this.stores.transcripts.setState({ status: 'off', message: null, files: {} });
    this.stores.listening.setState({ userSpeaking: false, level: 0, probability: 0, waitingForRestart: [] });
  }

  /** Another tab took over listening: this one stops, and says where listening went. */
  private onListeningTaken(run: Run): void {
    if (this.run !== run) return;
    this.end(run);
    this.stores.listening.setState({ status: 'idle', message: null, download: null });
    this.otherTabNotice = this.stores.notices
      .getState()
      .push('info', 'Listening moved to another tab', ['Another tab of this page started listening, so this one stopped: only one tab listens at a time.'], [{ label: 'Listen here again', run: () => void this.start(true) }]);
  }

  private dismissOtherTabNotice(): void {
    if (this.otherTabNotice !== null) this.stores.notices.getState().dismiss(this.otherTabNotice);
    this.otherTabNotice = null;
  }

  /** A `next-start` setting changed while listening: the page says it waits for the next start. */
  private noteSettingsWaiting(): void {
    const startedWith = this.startedWith;
    const current = this.stores.settings.getState().settings;
    const waiting = startedWith === null ? [] : NEXT_START_KEYS.filter((key) => JSON.stringify(current[key]) !== JSON.stringify(startedWith[key]));
    if (JSON.stringify(waiting) !== JSON.stringify(this.stores.listening.getState().waitingForRestart)) this.stores.listening.setState({ waitingForRestart: waiting });
  }

  /** A model file the browser had no room to keep: the page says so, once. */
  private noteProgress(progress: LoadProgress): void {
    if (!progress.storageFull || this.storageFullSaid) return;
    this.storageFullSaid = true;
    this.stores.notices
      .getState()
      .push('warning', 'The browser’s storage is full', [
        `${progress.file} could not be kept, so it runs from memory for this visit and downloads again next time. Delete models you no longer use (Models, at the top), or allow this site more storage.`,
      ]);
  }

  // --- Hosts: nothing goes to one that a link or an import named until the user allows it.

  private waitingFor(settings: Settings, keys: readonly SettingKey[]): StageError | null {
    const waiting = waitingDestinations(settings, this.stores.settings.getState().hostConsent, this.stages.page.href, keys)[0];
    return waiting ? new StageError('host-not-allowed', describeWaiting(waiting)) : null;
  }

  /** The destinations a stage of these settings uses (the models location for what downloads). */
  private static destinationsOf(stage: 'stt' | 'llm' | 'tts', settings: Settings): SettingKey[] {
    switch (stage) {
      case 'stt':
        return settings.stt === 'whisper' ? ['models_base_url'] : settings.stt === 'openai' ? ['openai_stt_base_url'] : [];
      case 'llm':
        return settings.llm_backend === 'transformers' ? ['models_base_url'] : settings.llm_backend === 'web-llm' ? [] : ['responses_api_base_url'];
      case 'tts':
        return settings.tts === 'kokoro' || settings.tts === 'facebookMMS' ? ['models_base_url'] : settings.tts === 'openai' ? ['openai_tts_base_url'] : [];
    }
  }

  // --- Keys: sent only where they were entered for.

  private heldKeyError(settings: Settings, key: SecretKey): StageError | null {
    const held = heldKey(settings, this.stores.settings.getState().keyBindings, key);
    return held === null ? null : new StageError('key-held', describeHeldKey(held));
  }

  // --- Speech to text.

  private async startTranscription(run: Run, settings: Settings): Promise<void> {
    const { transcripts } = this.stores;
    transcripts.setState({ status: settings.stt === 'none' ? 'off' : 'loading', message: null, runtime: null, files: {}, turns: [] });
    // With stt none the audio itself goes to the language model, which must be able to take it.
    const problem =
      settings.stt === 'none'
        ? audioInputProblem(settings)
        : (this.waitingFor(settings, Session.destinationsOf('stt', settings)) ?? (settings.stt === 'openai' ? this.heldKeyError(settings, 'openai_stt_api_key') : null))?.message ?? null;
    if (problem) {
      transcripts.setState({ status: 'error', message: problem });
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
      if (!run.stopped) transcripts.setState({ status: 'error', message: errorMessage(error) });
    }
  }

  /**
   * Loads speech to text before listening starts (a returning visitor whose model is cached:
   * nothing is downloaded, so nothing needs asking), so that Start finds it ready.
   */
  prepareTranscription(): void {
    if (this.run || this.waitingFor(this.settings(), Session.destinationsOf('stt', this.settings()))) return;
    const slot = this.transcriberSlot(this.settings());
    this.standby = slot;
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
    else this.stores.transcripts.setState({ status: 'error', message: said });
  }

  /** A turn's audio for speech to text; finals heard while it still starts wait for it. */
  private transcribe(audio: TurnAudio): void {
    const run = this.run;
    if (!run) return;
    if (audio.mode === 'partial') {
      // A partial is news only while it can run at once: one heard while the model loads would only hold up the finals.
      if (this.stores.transcripts.getState().status === 'ready') run.partials?.submit(audio);
    } else if (run.partials) run.partials.submit(audio);
    else run.waiting.push(audio);
  }

  private onTranscriberEvent(event: TranscriberEvent): void {
    const { transcripts } = this.stores;
    switch (event.kind) {
      case 'progress':
        this.noteProgress(event.progress);
        transcripts.setState((state) => ({ files: { ...state.files, [event.progress.file]: event.progress } }));
        break;
      case 'ready':
        transcripts.setState({ status: 'ready', runtime: event.description, message: null });
        break;
      case 'transcript':
        if (event.mode === 'partial') {
          this.run?.partials?.partialSettled(event.inferenceMs);
          updateTurn(transcripts, event.turn, event.revision, { partial: event.text });
          this.turns.onPartial(event.turn, event.revision, event.text);
          break;
        }
        updateTurn(transcripts, event.turn, event.revision, { final: event.text, language: event.language, inferenceMs: event.inferenceMs });
        markMoment('transcript', event.turn);
        void this.turns.replyToTurn(event.turn, event.text, event.language, event.revision);
        break;
      case 'dropped':
        if (event.mode === 'partial') this.run?.partials?.partialSettled(null);
        break;
      case 'stopped':
        this.onTranscriberStopped(event.code, event.message);
        break;
      case 'error':
        // A server that failed its warm-up is still asked for each turn: listening is not held up for it.
        transcripts.setState((state) => (event.fatal ? { status: 'error', message: event.message } : { status: state.status === 'loading' ? 'ready' : state.status, message: event.message }));
        break;
    }
  }

  // --- Listening.

  private onListenerEvent(event: ListenerEvent): void {
    const { listening } = this.stores;
    switch (event.kind) {
      case 'loading':
        this.noteProgress(event.progress);
        listening.setState({ download: event.progress });
        break;
      case 'frame':
        listening.setState((state) => ({ level: event.rms, probability: event.probability, framesHeard: state.framesHeard + 1 }));
        // No partial starts while the speech may be ending; perhaps the user starting to speak over the reply: it is lowered at once, stopped once the speech is confirmed.
        this.run?.partials?.voiceActivity(event.probability >= this.settings().thresh);
        if (event.probability >= this.settings().thresh) this.turns.voiceHeard();
        break;
      case 'turn':
        this.showTurnEvent(event.event);
        // Last: speech to text takes (transfers) the event's audio.
        this.turns.onTurnEvent(event.event);
        // A released turn gives the assistant the turn.
        this.refreshCue();
        break;
      case 'notice':
        listening.setState({ notice: event.message });
        break;
      case 'listening':
        listening.setState({ status: 'listening', message: null, sampleRate: event.sampleRate, download: null });
        void this.refreshMicrophones();
        break;
      case 'suspended':
        listening.setState({ status: 'suspended', message: event.message });
        break;
      case 'microphone_switched':
        listening.setState({ notice: event.message, microphoneId: null });
        break;
      case 'devices_changed':
        void this.refreshMicrophones();
        void this.refreshSpeakers();
        break;
      case 'error':
        if (!event.fatal) {
          listening.setState({ notice: event.message });
          break;
        }
        if (this.run) this.end(this.run);
        // The voice activity worker stopped (crashed, stopped answering): listening starts again by itself once.
        if ((event.code === 'crashed' || event.code === 'unresponsive' || event.code === 'unreadable-message') && this.listeningRestarts.restartsByItself()) {
          this.stores.notices.getState().push('warning', 'Listening stopped and is starting again', [event.message]);
          void this.start();
          break;
        }
        listening.setState({ status: 'error', message: event.message });
        break;
    }
  }

  private showTurnEvent(event: TurnEvent): void {
    const { listening, transcripts } = this.stores;
    switch (event.kind) {
      case 'speech_started':
        listening.setState({ userSpeaking: true });
        // The turn shows as soon as its speech starts; its words follow.
        updateTurn(transcripts, event.turn, event.revision, {});
        break;
      case 'speech_stopped':
        listening.setState({ userSpeaking: false });
        break;
      case 'segment': {
        const { turn, revision, startMs, endMs, speechStartMs, speechEndMs, smartTurn, delayMs, graceMs, audio } = event;
        const segment: SegmentView = { turn, revision, startMs, endMs, speechStartMs, speechEndMs, durationS: audio.length / 16_000, smartTurn, delayMs, graceMs, released: false };
        // The recent soft ends only: a long session stays flat.
        listening.setState((state) => ({ segments: [...state.segments.slice(1 - KEPT_SEGMENTS), segment] }));
        break;
      }
      case 'turn_releasable':
        listening.setState((state) => ({
          segments: state.segments.map((segment) => (segment.turn === event.turn && segment.revision === event.revision ? { ...segment, released: true } : segment)),
        }));
        break;
      case 'smart_turn_failed':
        listening.setState({ notice: `Smart Turn failed on the last turn (${event.message}); it was ended by silence alone.` });
        break;
      case 'progressive':
        break;
    }
  }

  private async refreshMicrophones(): Promise<void> {
    try {
      this.stores.listening.setState({ microphones: await this.stages.listMicrophones() });
      void this.refreshSpeakers();
    } catch {
      // The list is a convenience; listening works with the default microphone without it.
    }
  }

  // --- The language model.

  private languageModel(settings: Settings): Promise<LanguageModelBackend> {
    const waiting = this.waitingFor(settings, Session.destinationsOf('llm', settings));
    if (waiting) return Promise.reject(waiting);
    if (settings.llm_backend === 'chat-completions' || settings.llm_backend === 'responses-api') {
      const held = this.heldKeyError(settings, 'responses_api_api_key');
      if (held) return Promise.reject(held);
    }
    return this.models.backend(pickSettings(settings, LANGUAGE_MODEL_SETTINGS));
  }

  private onModelStatus(status: LanguageModelStatus): void {
    const { conversation } = this.stores;
    const update = (change: Partial<ReturnType<ConversationStore['getState']>['model']>) => conversation.setState((state) => ({ model: { ...state.model, ...change } }));
    switch (status.kind) {
      case 'loading':
        update({ status: 'loading', label: status.label, detail: null, files: {}, progress: null });
        break;
      case 'file':
        this.noteProgress(status.progress);
        conversation.setState((state) => ({ model: { ...state.model, files: { ...state.model.files, [status.progress.file]: status.progress } } }));
        break;
      case 'step':
        update({ progress: { fraction: status.fraction, text: status.text } });
        break;
      case 'ready':
        update({ status: 'ready', label: status.label, detail: status.description, progress: null });
        break;
      case 'failed':
        update({ status: 'failed', label: status.label, detail: status.message, progress: null });
        break;
      case 'stopped':
        this.noteStageStopped('language model', status.message, status.restarting, () => this.models.restart(pickSettings(this.settings(), LANGUAGE_MODEL_SETTINGS)));
        if (!status.restarting) update({ status: 'failed', label: status.label, detail: status.message, progress: null });
        break;
    }
  }

  /** A stage stopped after it was ready: the page says so, and whether it is starting again or waits for the user. */
  private noteStageStopped(stage: string, message: string, restarting: boolean, restart: () => void): void {
    const { notices } = this.stores;
    if (restarting) {
      notices.getState().push('warning', `The ${stage} stopped and is starting again`, [message]);
      return;
    }
    notices.getState().push('error', `The ${stage} stopped again`, [message, 'It was started again once already. Try again, or reload the page if it keeps stopping.'], [{ label: `Start the ${stage} again`, run: restart }]);
  }

  // --- The assistant's voice.

  /** Opens the speakers (from the click that started or sent something), then loads the voice. */
  private openVoice(settings: Settings): void {
    this.voice.open().then(
      (speakers) => {
        const { speakerId } = this.stores.voice.getState();
        if (speakerId !== null) void this.selectSpeaker(speakerId);
        if (settings.tts === 'web-speech') return;
        const waiting = this.waitingFor(settings, Session.destinationsOf('tts', settings));
        if (waiting) this.stores.voice.setState({ status: 'failed', detail: waiting.message });
        else this.voices.prepare(pickSettings(settings, VOICE_SETTINGS), speakers.sampleRate);
      },
      (error: unknown) => this.stores.voice.setState({ status: 'failed', detail: errorMessage(error) }),
    );
  }

  private replyVoice(events: ReplySpeechEvents, language: string | null): ReplyVoice | null {
    const settings = this.settings();
    if (settings.tts === 'web-speech') {
      const reply = this.voice.startReply({ kind: 'browser', options: { voice: settings.web_speech_voice, rate: settings.web_speech_rate } }, events);
      this.stores.voice.setState(
        reply
          ? { status: 'ready', detail: settings.web_speech_voice ? `the browser's voice ${settings.web_speech_voice}` : "the browser's own voice", files: {} }
          : { status: 'failed', detail: 'This browser has no speech synthesis (the Web Speech API). Choose tts kokoro or openai; replies are shown as text meanwhile.' },
      );
      return reply;
    }
    const held = this.waitingFor(settings, Session.destinationsOf('tts', settings)) ?? (settings.tts === 'openai' ? this.heldKeyError(settings, 'openai_tts_api_key') : null);
    const voiceSettings = pickSettings(settings, VOICE_SETTINGS);
    const choice: ReplyVoiceChoice = {
      kind: 'samples',
      synthesizer: (outputRate) => (held ? { speak: () => Promise.reject(held) } : this.voices.forReply(voiceSettings, language, outputRate)),
    };
    return this.voice.startReply(choice, events);
  }

  private onVoiceStatus(status: VoiceStatus): void {
    const { voice } = this.stores;
    switch (status.kind) {
      case 'loading':
        voice.setState({ status: 'loading', detail: null, files: {} });
        break;
      case 'file':
        this.noteProgress(status.progress);
        voice.setState((state) => ({ files: { ...state.files, [status.progress.file]: status.progress } }));
        break;
      case 'ready':
        voice.setState({ status: 'ready', detail: status.description });
        break;
      case 'failed':
        voice.setState({ status: 'failed', detail: status.message });
        break;
      case 'stopped':
        this.noteStageStopped('voice', status.message, status.restarting, () => this.openVoice(this.settings()));
        if (!status.restarting) voice.setState({ status: 'failed', detail: status.message });
        break;
      case 'notice':
        if (voice.getState().notice !== status.notice) voice.setState({ notice: status.notice });
        break;
    }
  }

  private onAssistantSpeaking(speaking: boolean): void {
    this.stores.voice.setState({ assistantSpeaking: speaking });
    this.halfDuplexMuted = speaking;
    this.applyMute();
    this.refreshCue();
  }

  /**
   * What the microphone hears: silence while the assistant speaks with half duplex
   * (`local_audio_block_mic_during_playback`), and with push to talk while not held.
   */
  private applyMute(): void {
    const settings = this.settings();
    const halfDuplex = this.halfDuplexMuted && settings.local_audio_block_mic_during_playback;
    const pushToTalk = settings.push_to_talk && !this.stores.listening.getState().holding;
    this.run?.listener?.mute(halfDuplex || pushToTalk);
    this.run?.remote?.hold(!pushToTalk);
  }

  /** The thinking cue sounds once the assistant has had the turn without a sound for `thinking_cue_after_ms`. */
  private refreshCue(): void {
    const settings = this.settings();
    const waiting = settings.thinking_cue && this.turns.awaitingVoice;
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
      if (!this.turns.awaitingVoice) return;
      this.cueOn = true;
      this.voice.cue(true);
    }, settings.thinking_cue_after_ms);
  }

  private async refreshSpeakers(): Promise<void> {
    try {
      const speakers = await this.stages.listSpeakers();
      const { speakerId } = this.stores.voice.getState();
      // Speakers that went away: the voice moves to the default output.
      if (speakers && speakerId !== null && !speakers.some((speaker) => speaker.deviceId === speakerId)) {
        await this.selectSpeaker(null);
        this.stores.voice.setState({ notice: 'The chosen speakers were disconnected; the voice plays through the default output.' });
      }
      this.stores.voice.setState({ speakers });
    } catch {
      // The list is a convenience; the default output plays without it.
    }
  }

  /** The user spoke over the assistant: the page says so for a moment. */
  private noteInterrupted(): void {
    this.stores.conversation.setState({ interrupted: true });
    if (this.interruptedTimer !== null) clearTimeout(this.interruptedTimer);
    this.interruptedTimer = setTimeout(() => {
      this.interruptedTimer = null;
      this.stores.conversation.setState({ interrupted: false });
    }, INTERRUPTED_MS);
  }
}
