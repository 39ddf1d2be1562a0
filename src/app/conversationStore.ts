/** What the page shows of the conversation: the language model's load, and the exchanges as they stream. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LoadProgress } from '../models/loadProgress';
import type { StageStatus } from '../pipeline/pipeline';
import { exchangeLog, type Exchange, type ExchangeLog } from '../pipeline/exchange';
import type { ToolRequest } from '../pipeline/toolBox';

export interface ModelState {
  readonly status: StageStatus;
  readonly label: string;
  readonly detail: string | null;
  readonly files: Readonly<Record<string, LoadProgress>>;
  /** web-llm reports one overall fraction with a line of text. */
  readonly progress: { readonly fraction: number; readonly text: string } | null;
}

export interface ConversationState {
  readonly model: ModelState;
  readonly exchanges: readonly Exchange[];
  /** The user spoke over the assistant a moment ago: the talk control says "Interrupted". */
  readonly interrupted: boolean;
  /** Tool calls waiting for the user's answer. */
  readonly toolRequests: readonly ToolRequest[];
}

export type ConversationStore = StoreApi<ConversationState>;

export function createConversationStore(): ConversationStore {
  return createStore<ConversationState>()(() => ({ model: { status: 'off', label: '', detail: null, files: {}, progress: null }, exchanges: [], interrupted: false, toolRequests: [] }));
}

/**
 * How many exchanges the page keeps (and shows, and saves): a conversation of hours stays as
 * light as one of minutes. The model sees far fewer anyway (`chat_size`).
 */
export const KEPT_EXCHANGES = 200;

/** The exchanges of both pipelines, in this store: create it once per page, so that ids are never given twice. */
export function exchangeList(store: ConversationStore): ExchangeLog {
  return exchangeLog(
    () => store.getState().exchanges,
    (exchanges) => store.setState({ exchanges }),
    KEPT_EXCHANGES,
  );
}
