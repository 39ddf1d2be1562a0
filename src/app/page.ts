/**
 * The page: its stores and its one session, with the real stages (workers, the microphone, the
 * speakers, the browser's own voice). main.tsx creates it once and hands it to the components.
 */
import { listMicrophones } from '../audio/microphone';
import { MicrophoneCapture } from '../audio/microphoneCapture';
import { RealtimeCall } from '../realtime/realtimeCall';
import { Player } from '../audio/player';
import { listSpeakers } from '../audio/speakers';
import type { SettingsStore } from '../settings/store';
import { LanguageModels, connectMcpServers } from '../stages/llm';
import { startTranscriber } from '../stages/stt';
import { VoiceModels } from '../stages/tts';
import { Listener } from '../stages/vad';
import { probeDevice } from '../models/deviceProbe';
import { playChime } from '../audio/chime';
import { currentTimeTool } from '../pipeline/builtinTools';
import { openConversationArchive } from './conversationArchive';
import { ConversationKeeper } from './conversationKeeper';
import { createConversationStore, type ConversationStore } from './conversationStore';
import { createDeviceStore, type DeviceStore } from './deviceStore';
import { followDownloadEstimate, storageEstimate } from './downloadEstimate';
import { WebListeningLock } from './listeningLock';
import { createListeningStore, type ListeningStore } from './listeningStore';
import { createNoticesStore, type NoticesStore } from './noticesStore';
import { applyLinkPreset, createPageSettings, followOtherTabs } from './pageSettings';
import { McpConnection } from './mcpConnection';
import { createPageTimers, type PageTimers } from './pageTimers';
import { Session } from './session';
import { createTranscriptStore, type TranscriptStore } from './transcriptStore';
import { createTurnStore, type TurnStore } from './turnStore';
import { createVoiceStore, type VoiceStore } from './voiceStore';

export interface Page {
  readonly settings: SettingsStore;
  readonly notices: NoticesStore;
  readonly listening: ListeningStore;
  readonly transcripts: TranscriptStore;
  readonly conversation: ConversationStore;
  readonly voice: VoiceStore;
  /** The turn's state (the talk control's word), whichever pipeline runs. */
  readonly turn: TurnStore;
  readonly device: DeviceStore;
  readonly session: Session;
  /** The conversations kept in this browser. */
  readonly kept: ConversationKeeper;
  /** Timers set with the `set_timer` tool. */
  readonly timers: PageTimers;
  /** Asks the browser to let timers notify (from a click: a browser asks only then). */
  readonly allowNotifications: () => void;
  /** Measures the download again (after models were downloaded or deleted), and the storage. */
  readonly refreshDownloads: () => Promise<void>;
}

export function createPage(): Page {
  const notices = createNoticesStore();
  const settings = createPageSettings(notices);
  applyLinkPreset(settings, notices);
  followOtherTabs(settings);
  const stores = { settings, notices, listening: createListeningStore(), transcripts: createTranscriptStore(), conversation: createConversationStore(), voice: createVoiceStore() };
  const timers = createPageTimers(notices, { chime: playChime, notify: systemNotification }, localStorageOrNull());
  const mcp = new McpConnection({ connect: connectMcpServers, settings, notices, page: location.href });
  const session = new Session(stores, {
    startListener: (config, onEvent, signal) => Listener.start(config, onEvent, signal),
    listMicrophones,
    listSpeakers: () => listSpeakers(Player.canChooseSpeakers),
    startTranscriber,
    languageModels: (onStatus) => new LanguageModels(onStatus),
    voiceModels: (onStatus) => new VoiceModels(onStatus),
    openSpeakers: (onProgress) => Player.create(onProgress),
    browserVoice: () => (typeof speechSynthesis === 'undefined' ? null : { synthesis: speechSynthesis, utterance: (text) => new SpeechSynthesisUtterance(text) }),
    lock: new WebListeningLock(),
    tools: async (current) => [...(current.builtin_tools ? [currentTimeTool(), ...timers.timers.tools()] : []), ...(await mcp.toolsFor(current))],
    prepareTools: (current) => mcp.refresh(current),
    page: { href: location.href, crossOriginIsolated },
    realtime: {
      openCapture: (options, onFrame, onEvent) => MicrophoneCapture.open(options, onFrame, onEvent),
      openSpeakers: (onPlayed) => Player.create(onPlayed),
      openCall: (callSettings, microphone, onEvent, signal) =>
        RealtimeCall.open(
          callSettings,
          { createWebSocket: (url, protocols) => new WebSocket(url, protocols), ...(microphone ? { webRtc: { mediaStream: microphone, audioElement: new Audio() } } : {}) },
          onEvent,
          signal,
        ),
    },
  });
  const kept = new ConversationKeeper({
    conversation: stores.conversation,
    settings,
    notices,
    archive: openConversationArchive(),
    restore: (exchanges) => session.continueConversation(exchanges),
    forget: () => session.newConversation(),
    tabStorage: typeof sessionStorage === 'undefined' ? null : sessionStorage,
  });
  const device = createDeviceStore();
  const remeasure = followDownloadEstimate(settings, device, location.href);
  void probeDevice().then((report) => device.setState({ report }));
  // A returning visitor: speech to text, its model all cached (nothing to download, so nothing to
  // ask), loads now, so that it is ready when they press Start.
  device.subscribe(({ download }) => {
    const stt = download?.status === 'done' ? download.stages.find((stage) => stage.stage === 'Speech to text') : undefined;
    const { stt: sttBackend, pipeline } = settings.getState().settings;
    if (pipeline === 'local' && sttBackend === 'whisper' && stt?.bytes && stt.toDownload === 0) session.prepareTranscription();
  });
  const refreshDownloads = async () => {
    device.setState({ storage: await storageEstimate() });
    await remeasure();
  };
  void storageEstimate().then((storage) => device.setState({ storage }));
  return { ...stores, turn: createTurnStore(stores), device, session, kept, refreshDownloads, timers, allowNotifications };
}

function localStorageOrNull(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Storage blocked by the browser's settings.
    return null;
  }
}

function systemNotification(title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body });
  } catch {
    // Some browsers only notify from a service worker; the notice and the chime still say it.
  }
}

function allowNotifications(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}
