/**
 * One session owns what the user does with the page: start and stop listening, push to talk,
 * switch microphone or speakers, type a message, start a new conversation. It keeps the tab lock
 * (one listening tab), the settings in effect (a `next-start` change waits for the next start,
 * with a notice) and the consent to hosts and keys, and hands the rest to a pipeline behind the
 * one interface: the stages in the page (`LocalPipeline`) or a Realtime server
 * (`RealtimePipeline`, `pipeline realtime`). Whatever runs, its events reach the stores through
 * one projector. Stages come in as ports, so it runs in Node under test with fake stages.
 */
import type { Exchange, ExchangeLog } from '../pipeline/exchange';
import { currentTimeTool } from '../pipeline/builtinTools';
import type { ToolDecision } from '../pipeline/toolBox';
import { LocalPipeline, type LocalStages } from '../pipeline/localPipeline';
import type { Pipeline } from '../pipeline/pipeline';
import { RealtimePipeline, type RealtimePorts } from '../realtime/realtimePipeline';
import { describeWaiting, waitingDestinations } from '../settings/hostConsent';
import { describeHeldKey, heldKey, type SecretKey } from '../settings/keyBinding';
import { NEXT_START_KEYS, pickSettings, type SettingKey, type Settings } from '../settings/schema';
import type { SettingsStore } from '../settings/store';
import { RestartPolicy, StageError, errorMessage } from '../stages';
import { exchangeList, type ConversationStore } from './conversationStore';
import type { ListeningLock } from './listeningLock';
import type { ListeningStore } from './listeningStore';
import type { NoticesStore } from './noticesStore';
import { PageTools, type ToolSource } from './pageTools';
import { pipelineProjector, type Projector } from './pipelineProjector';
import type { TranscriptStore } from './transcriptStore';
import type { VoiceStore } from './voiceStore';

export type { ListenerControl } from '../pipeline/localPipeline';

/** The stages, as the session starts them: the page passes the real ones, a test fakes them. */
export interface SessionStages extends LocalStages {
  /** One listening tab at a time. */
  readonly lock: ListeningLock;
  /** The microphone, speakers and call of the Realtime client (`pipeline realtime`). */
  readonly realtime: Omit<RealtimePorts, 'listMicrophones'>;
  /** The tools the settings give; without it, the built-in time with `builtin_tools`. */
  readonly tools?: ToolSource;
  /** Listening starts: the tools are listed again (MCP servers reached). */
  readonly prepareTools?: (settings: Settings) => void;
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
 * One start of listening. Start and Stop make one state machine: idle → starting (a run, its
 * pipeline not listening yet) → listening → idle; Stop in any state ends the run, aborting a start
 * under way.
 */
interface Run {
  /** The pipeline the settings chose (known once the start has the tab lock and its settings). */
  pipeline: Pipeline;
  stopped: boolean;
  readonly controller: AbortController;
}

type NextStartSettings = Partial<Settings>;

export class Session {
  private readonly local: LocalPipeline;
  private readonly realtime: RealtimePipeline;
  private readonly projector: Projector;
  /** The exchanges of both pipelines: one log, so ids are never given twice. */
  private readonly exchanges: ExchangeLog;
  private run: Run | null = null;
  /** The `next-start` settings listening was started with: they hold until it stops. */
  private startedWith: NextStartSettings | null = null;
  private effective: { readonly from: Settings; readonly startedWith: NextStartSettings | null; readonly settings: Settings } | null = null;
  private readonly listeningRestarts = new RestartPolicy();
  private readonly tools: PageTools;
  /** The notice about another tab listening, while it shows. */
  private otherTabNotice: number | null = null;

  constructor(
    private readonly stores: SessionStores,
    private readonly stages: SessionStages,
  ) {
    this.projector = pipelineProjector(stores);
    this.exchanges = exchangeList(stores.conversation);
    const sink = { emit: this.projector.project, exchanges: this.exchanges };
    const gate = {
      waitingFor: (settings: Settings, keys: readonly SettingKey[]) => this.waitingFor(settings, keys),
      heldKey: (settings: Settings, key: SecretKey) => this.heldKeyError(settings, key),
    };
    this.tools = new PageTools(stages.tools ?? ((settings) => (settings.builtin_tools ? [currentTimeTool()] : [])), (requests) => {
      stores.conversation.setState({ toolRequests: requests });
      // The thinking cue waits while the user is asked.
      this.local.refreshCue();
    }, (why) => stores.notices.getState().push('warning', 'This model’s server takes no tools', [`It refused a request that offered them: ${why}`, 'Replies go on without tools. To use them, start the server with tool calling on (llama.cpp: --jinja; vLLM: --enable-auto-tool-choice and --tool-call-parser), or choose a model that supports tools.']));
    this.local = new LocalPipeline(sink, stages, { settings: () => this.settings(), gate, onListeningStopped: (code, message) => this.onListeningStopped(code, message), tools: this.tools });
    this.realtime = new RealtimePipeline(sink, { ...stages.realtime, listMicrophones: stages.listMicrophones, tools: this.tools }, () => this.settings(), (message) => this.onEnded(message));
    stores.settings.subscribe(() => {
      this.noteSettingsWaiting();
      this.run?.pipeline.settingsChanged();
    });
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

  /** The pipeline the settings choose. */
  private chosen(): Pipeline {
    return this.settings().pipeline === 'realtime' ? this.realtime : this.local;
  }

  /**
   * Starts listening with the current settings; call it from a click. A start already under way
   * is not repeated. Where another tab listens, the page says so and offers to take over
   * (`takeOver`: this tab listens, the other stops).
   */
  async start(takeOver = false): Promise<void> {
    if (this.run) return;
    const controller = new AbortController();
    const run: Run = { pipeline: this.chosen(), stopped: false, controller };
    this.run = run;
    this.stores.listening.setState({ status: 'starting', detail: null, notice: null, download: null, segments: [], framesHeard: 0, waitingForRestart: [] });
    this.stores.transcripts.setState({ turns: [] });
    this.dismissOtherTabNotice();
    // The tools are listed now (an MCP server down before may be up), not at the first reply.
    this.stages.prepareTools?.(this.settings());
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
    run.pipeline = this.chosen();
    // A Realtime server gets nothing of the user's before its host and key are allowed.
    const settings = this.settings();
    const refused = settings.pipeline === 'realtime' ? (this.waitingFor(settings, ['talk_url']) ?? this.heldKeyError(settings, 'talk_api_key')) : null;
    try {
      if (refused) throw refused;
      if (this.stores.listening.getState().holding) run.pipeline.hold(true);
      await run.pipeline.start(this.stores.listening.getState().microphoneId, controller.signal);
    } catch (error) {
      if (run.stopped) return;
      this.end(run);
      this.stores.listening.setState({ status: 'failed', detail: errorMessage(error), notice: null, download: null });
    }
  }

  /** Stops listening, also while it is still starting, and silences a reply (it keeps what was heard); the conversation stays. */
  stop(): void {
    this.run?.pipeline.stopReply();
    if (this.run) this.end(this.run);
    this.stores.listening.setState({ status: 'idle', detail: null, download: null });
  }

  /** Resumes audio the browser paused; call it from a click. */
  async resume(): Promise<void> {
    await this.run?.pipeline.resume();
  }

  /** Chooses the microphone; while listening, the stream switches at once and everything else goes on. */
  async selectMicrophone(deviceId: string | null): Promise<void> {
    this.stores.listening.setState({ microphoneId: deviceId });
    try {
      await this.run?.pipeline.selectMicrophone(deviceId);
    } catch (error) {
      this.stores.listening.setState({ notice: `That microphone could not be opened, so listening goes on with the one before: ${errorMessage(error)}` });
    }
  }

  /** Push to talk: the talk control or the space bar pressed. Starts listening first when it is off. */
  talkPressed(): void {
    this.stores.listening.setState({ holding: true });
    if (!this.run) void this.start();
    else this.run.pipeline.hold(true);
  }

  /** Push to talk let go: the turn ends now. */
  talkReleased(): void {
    if (!this.stores.listening.getState().holding) return;
    this.stores.listening.setState({ holding: false });
    this.run?.pipeline.hold(false);
    this.run?.pipeline.sendNow();
  }

  /** Ends the turn being heard now, in either mode. */
  sendNow(): void {
    this.run?.pipeline.sendNow();
  }

  /** Chooses the speakers (null: the system's default). */
  async selectSpeaker(deviceId: string | null): Promise<void> {
    this.stores.voice.setState({ speakerId: deviceId });
    try {
      await this.local.selectSpeaker(deviceId);
    } catch (error) {
      this.stores.voice.setState({ speakerId: null, notice: `Those speakers could not be used, so the system’s default output plays the voice: ${errorMessage(error)}` });
    }
  }

  /** A typed message; the click that sent it also opens the speakers. */
  sendMessage(text: string): Promise<void> {
    return (this.run?.pipeline ?? this.chosen()).sendText(text);
  }

  /** Forgets the conversation (the models stay loaded). A Realtime server keeps its session's history: a new conversation there is a new session. */
  newConversation(): void {
    const run = this.run;
    this.freshSession(run, (run?.pipeline ?? this.local).newConversation());
  }

  /** Goes on with an earlier conversation: its exchanges shown (given new ids), the model given their history. */
  continueConversation(exchanges: readonly Exchange[]): void {
    const run = this.run;
    const said = (run?.pipeline ?? this.local).continueConversation(exchanges);
    this.exchanges.clear();
    for (const exchange of exchanges) this.exchanges.add({ ...exchange, id: this.exchanges.nextId() });
    this.freshSession(run, said);
  }

  /** A pipeline that had to do more (`said`: a Realtime server keeps a session's history) is connected again, and the page says why. */
  private freshSession(run: Run | null, said: string | null): void {
    if (!run || said === null) return;
    this.end(run);
    void this.start();
    this.stores.notices.getState().push('info', 'A new session with the Realtime server', [said]);
  }

  /** The user's answer to a tool call the model made. */
  answerToolCall(callId: string, decision: ToolDecision): void {
    this.tools.answer(callId, decision);
  }

  /** Resumes speakers the browser paused; call it from a click. */
  resumeSpeakers(): void {
    this.local.resumeSpeakers();
  }

  /**
   * Loads speech to text before listening starts (a returning visitor whose model is cached:
   * nothing is downloaded, so nothing needs asking), so that Start finds it ready.
   */
  prepareTranscription(): void {
    if (!this.run) this.local.prepareTranscription();
  }

  private end(run: Run): void {
    run.stopped = true;
    run.controller.abort(new DOMException('Listening was stopped.', 'AbortError'));
    this.stages.lock.release();
    this.stores.listening.setState({ holding: false });
    run.pipeline.hold(false);
    run.pipeline.stop();
    if (this.run === run) this.run = null;
    this.startedWith = null;
    this.projector.reset();
    this.stores.listening.setState({ userSpeaking: false, level: 0, probability: 0, waitingForRestart: [] });
    this.stores.voice.setState({ outputLevel: 0 });
  }

  /** The pipeline ended by itself (the server full, the connection lost, the microphone gone): said in words. */
  private onEnded(message: string): void {
    if (this.run) this.end(this.run);
    this.stores.listening.setState({ status: 'failed', detail: message, notice: null, download: null });
  }

  /** Listening's own worker stopped: it starts again by itself once (crashed, stopped answering), else it says why. */
  private onListeningStopped(code: string, message: string): void {
    if (this.run) this.end(this.run);
    if ((code === 'crashed' || code === 'unresponsive' || code === 'unreadable-message') && this.listeningRestarts.restartsByItself()) {
      this.stores.notices.getState().push('warning', 'Listening stopped and is starting again', [message]);
      void this.start();
      return;
    }
    this.stores.listening.setState({ status: 'failed', detail: message });
  }

  /** Another tab took over listening: this one stops, and says where listening went. */
  private onListeningTaken(run: Run): void {
    if (this.run !== run) return;
    this.end(run);
    this.stores.listening.setState({ status: 'idle', detail: null, download: null });
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

  // --- Hosts: nothing goes to one that a link or an import named until the user allows it.

  private waitingFor(settings: Settings, keys: readonly SettingKey[]): StageError | null {
    const waiting = waitingDestinations(settings, this.stores.settings.getState().hostConsent, this.stages.page.href, keys)[0];
    return waiting ? new StageError('host-not-allowed', describeWaiting(waiting)) : null;
  }

  // --- Keys: sent only where they were entered for.

  private heldKeyError(settings: Settings, key: SecretKey): StageError | null {
    const held = heldKey(settings, this.stores.settings.getState().keyBindings, key);
    return held === null ? null : new StageError('key-held', describeHeldKey(held));
  }
}
