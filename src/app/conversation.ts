/**
 * The conversation for the page: the chosen language model (loaded once, with progress), and the
 * turn orchestrator wired to the page's voice and to a store of exchanges the UI renders.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { FileProgress } from '../models/transformersLoading';
import type { Settings } from '../settings/schema';
import { apiBackend, type LanguageModelBackend } from '../stages/llm/languageModelBackend';
import { TransformersBackend } from '../stages/llm/transformersBackend';
import type { WebLlmBackend } from '../stages/llm/webLlmBackend';
import { settingsStore } from './settings';
import { endDuck, prepareSpeech, resetReplyLanguage, speechStore, startReplySpeech, stopReplySpeech } from './speech';
import { TurnOrchestrator, type Exchange } from '../pipeline/turnOrchestrator';
import type { TurnEvent } from '../stages/vad/turnDetector';
import { transcribeTurn } from './transcription';

export type { Exchange };

interface ModelState {
  readonly status: 'off' | 'loading' | 'ready' | 'failed';
  readonly label: string;
  readonly detail: string | null;
  readonly files: Readonly<Record<string, FileProgress>>;
  /** web-llm reports one overall fraction with a line of text. */
  readonly progress: { readonly fraction: number; readonly text: string } | null;
}

interface ConversationState {
  readonly model: ModelState;
  readonly exchanges: readonly Exchange[];
}

const MODEL_OFF: ModelState = { status: 'off', label: '', detail: null, files: {}, progress: null };
export const conversationStore = createStore<ConversationState>()(() => ({ model: MODEL_OFF, exchanges: [] }));

export function useConversation<T>(selector: (state: ConversationState) => T): T {
  return useStore(conversationStore, selector);
}

const BACKEND_LABELS: Record<Settings['llm_backend'], string> = {
  transformers: 'transformers.js',
  'web-llm': 'web-llm',
  'responses-api': 'Responses API',
  'chat-completions': 'Chat Completions API',
};

/** A local model loads once; these settings decide which one. */
function localModelKey(settings: Settings): string {
  return JSON.stringify([settings.llm_backend, settings.model_name, settings.device, settings.llm_device, settings.llm_torch_dtype, settings.models_base_url]);
}

let local: { key: string; backend: Promise<TransformersBackend | WebLlmBackend> } | null = null;
/** The API backend of the current settings: kept while they do not change, so its background compaction is not cut short. */
let api: { settings: Settings; backend: LanguageModelBackend } | null = null;

function updateModel(change: Partial<ModelState>): void {
  conversationStore.setState((state) => ({ model: { ...state.model, ...change } }));
}

function loadLocal(settings: Settings): Promise<TransformersBackend | WebLlmBackend> {
  updateModel({ status: 'loading', label: BACKEND_LABELS[settings.llm_backend], detail: null, files: {}, progress: null });
  const loading =
    settings.llm_backend === 'web-llm'
      ? // web-llm is large: it is fetched only when chosen.
        import('../stages/llm/webLlmBackend').then(({ WebLlmBackend }) => WebLlmBackend.load(settings, (report) => updateModel({ progress: { fraction: report.progress, text: report.text } })))
      : TransformersBackend.load(settings, (progress) => conversationStore.setState((state) => ({ model: { ...state.model, files: { ...state.model.files, [progress.file]: progress } } })));
  return loading.then(
    (backend) => {
      updateModel({ status: 'ready', detail: backend.reason, progress: null });
      return backend;
    },
    (error: unknown) => {
      updateModel({ status: 'failed', detail: error instanceof Error ? error.message : String(error), progress: null });
      throw error;
    },
  );
}

/** The backend the settings ask for; a local model is loaded (or reloaded after a change) first. */
async function currentBackend(settings: Settings): Promise<LanguageModelBackend> {
  if (settings.llm_backend === 'chat-completions' || settings.llm_backend === 'responses-api') {
    local?.backend.then((backend) => backend.dispose()).catch(() => undefined);
    local = null;
    updateModel({ status: 'ready', label: BACKEND_LABELS[settings.llm_backend], detail: settings.responses_api_base_url ?? 'https://api.openai.com/v1', files: {}, progress: null });
    if (api?.settings !== settings) api = { settings, backend: apiBackend(settings.llm_backend, settings) };
    return api.backend;
  }
  const key = localModelKey(settings);
  if (local?.key !== key) {
    local?.backend.then((backend) => backend.dispose()).catch(() => undefined);
    local = { key, backend: loadLocal(settings) };
  }
  const backend = await local.backend.catch((error: unknown) => {
    // A failed load is tried again on the next turn.
    local = null;
    throw error;
  });
  backend.configure(settings);
  return backend;
}

/** Starts loading the language model, so the first reply does not wait for it. */
export function prepareLanguageModel(): void {
  currentBackend(settingsStore.getState().settings).catch(() => undefined);
}

const turns = new TurnOrchestrator({
  settings: () => settingsStore.getState().settings,
  transcribe: (job) => transcribeTurn(job),
  backend: currentBackend,
  voice: startReplySpeech,
  stopVoice: stopReplySpeech,
  audible: () => speechStore.getState().speaking,
  endDuck,
  exchanges: {
    list: () => conversationStore.getState().exchanges,
    add: (exchange) => conversationStore.setState((state) => ({ exchanges: [...state.exchanges, exchange] })),
    update: (id, change) =>
      conversationStore.setState((state) => ({
        exchanges: state.exchanges.map((exchange) => (exchange.id === id ? { ...exchange, ...(typeof change === 'function' ? change(exchange) : change) } : exchange)),
      })),
    clear: () => conversationStore.setState({ exchanges: [] }),
  },
});

/** A typed message; the click that sent it also opens the speakers. */
export function sendMessage(text: string): Promise<void> {
  prepareSpeech();
  return turns.sendMessage(text);
}

/** The listening stage's turn events: speech to text and the replies follow from them. */
export const onTurnEvent = (event: TurnEvent) => turns.onTurnEvent(event);
export const stopTurns = () => turns.stopListening();
export const replyToTurn = (turn: number, text: string, language: string | null) => turns.replyToTurn(turn, text, language);
export function newConversation(): void {
  turns.newConversation();
  resetReplyLanguage();
}
