/**
 * Keeps the page's conversation in this browser as it goes: each exchange is saved once it has
 * finished (with its timings), a reload brings the tab's conversation back, and the list of kept
 * conversations can be continued or deleted. Storage that is refused or full is said once, and the
 * conversation goes on in memory.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Exchange } from '../pipeline/exchange';
import type { SettingsStore } from '../settings/store';
import { conversationTitle, keptExchange, type ConversationArchive, type ConversationSummary } from './conversationArchive';
import type { ConversationStore } from './conversationStore';
import type { NoticesStore } from './noticesStore';

export interface KeptConversationsState {
  /** `opening`: the archive is being opened; `unavailable`: the browser refused it (`detail` says why). */
  readonly status: 'opening' | 'ready' | 'unavailable';
  readonly detail: string | null;
  /** Newest first. */
  readonly conversations: readonly ConversationSummary[];
  /** The kept conversation the page shows now, if it is kept. */
  readonly currentId: string | null;
}

export type KeptConversationsStore = StoreApi<KeptConversationsState>;

/** The conversation this tab shows, so that a reload (and only this tab's) brings it back. */
export const CURRENT_CONVERSATION_KEY = 'speech-to-speech.current-conversation';

const FINISHED: ReadonlySet<Exchange['status']> = new Set(['completed', 'interrupted', 'failed']);

export interface KeeperPorts {
  readonly conversation: ConversationStore;
  readonly settings: SettingsStore;
  readonly notices: NoticesStore;
  /** The archive, or why there is none. */
  readonly archive: Promise<ConversationArchive>;
  /** Shows these exchanges as the conversation and gives the model their history (the session's). */
  readonly restore: (exchanges: readonly Exchange[]) => void;
  /** Starts a new conversation (the session's): the one on screen was deleted. */
  readonly forget: () => void;
  /** Where this tab remembers its conversation (sessionStorage in the page). */
  readonly tabStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  readonly now?: () => number;
  readonly newId?: () => string;
}

export class ConversationKeeper {
  readonly store: KeptConversationsStore = createStore<KeptConversationsState>()(() => ({ status: 'opening', detail: null, conversations: [], currentId: null }));
  private archive: ConversationArchive | null = null;
  private startedAt = 0;
  /** The finished exchanges last saved, to save only when one of them changed. */
  private saved: readonly Exchange[] = [];
  /** Writes one after another, so that an older save never lands after a newer one. */
  private writes: Promise<void> = Promise.resolve();
  private told = false;
  private restoring = false;
  private readonly now: () => number;
  private readonly newId: () => string;

  /** Resolves once the archive is open (or refused) and the tab's conversation is back. */
  readonly ready: Promise<void>;

  constructor(private readonly ports: KeeperPorts) {
    this.now = ports.now ?? (() => Date.now());
    this.newId = ports.newId ?? (() => crypto.randomUUID());
    // Only a change of the exchanges is followed (the store also holds the model's load and the "Interrupted" flag).
    ports.conversation.subscribe((state, previous) => {
      if (state.exchanges !== previous.exchanges) this.follow(state.exchanges);
    });
    ports.settings.subscribe((state, previous) => {
      if (!state.settings.keep_conversations && previous.settings.keep_conversations) this.setCurrent(null);
      else if (state.settings.keep_conversations && !previous.settings.keep_conversations) this.follow(this.ports.conversation.getState().exchanges);
    });
    this.ready = this.open();
  }

  private get keeping(): boolean {
    return this.ports.settings.getState().settings.keep_conversations;
  }

  private async open(): Promise<void> {
    try {
      this.archive = await this.ports.archive;
    } catch (error) {
      this.unavailable(error);
      return;
    }
    // The list is read when the Conversations drawer opens, not at start-up (it reads every kept conversation).
    this.store.setState({ status: 'ready' });
    const id = this.ports.tabStorage?.getItem(CURRENT_CONVERSATION_KEY) ?? null;
    if (id && this.keeping && this.ports.conversation.getState().exchanges.length === 0) await this.continue(id);
    else this.follow(this.ports.conversation.getState().exchanges);
  }

  /** Reads the list again. */
  async refresh(): Promise<void> {
    if (!this.archive) return;
    try {
      this.store.setState({ conversations: await this.archive.list() });
    } catch (error) {
      this.unavailable(error);
    }
  }

  /** Opens a kept conversation to go on with it: its exchanges shown, the model given its history. */
  async continue(id: string): Promise<boolean> {
    const kept = await this.archive?.get(id).catch(() => null);
    if (!kept) {
      if (this.store.getState().currentId === id) this.setCurrent(null);
      return false;
    }
    this.restoring = true;
    try {
      this.ports.restore(kept.exchanges);
    } finally {
      this.restoring = false;
    }
    this.startedAt = kept.startedAt;
    this.saved = this.finished(this.ports.conversation.getState().exchanges);
    this.setCurrent(id);
    return true;
  }

  /** Deletes a kept conversation (rejects with why it could not); the one on screen also leaves the screen, so that nothing saves it again. */
  async delete(id: string): Promise<void> {
    if (this.store.getState().currentId === id) this.forgetCurrent();
    await this.write((archive) => archive.delete(id));
    await this.refresh();
  }

  async deleteAll(): Promise<void> {
    if (this.store.getState().currentId !== null) this.forgetCurrent();
    await this.write((archive) => archive.deleteAll());
    await this.refresh();
  }

  private forgetCurrent(): void {
    this.setCurrent(null);
    this.saved = [];
    this.ports.forget();
  }

  private finished(exchanges: readonly Exchange[]): readonly Exchange[] {
    return exchanges.filter((exchange) => FINISHED.has(exchange.status));
  }

  private follow(exchanges: readonly Exchange[]): void {
    if (this.restoring) return;
    if (exchanges.length === 0) {
      // New conversation: the next exchange begins another kept one.
      if (this.store.getState().currentId !== null) this.setCurrent(null);
      this.saved = [];
      return;
    }
    if (!this.archive || !this.keeping) return;
    const finished = this.finished(exchanges);
    if (finished.length === 0 || (finished.length === this.saved.length && finished.every((exchange, index) => exchange === this.saved[index]))) return;
    this.saved = finished;
    let id = this.store.getState().currentId;
    if (id === null) {
      id = this.newId();
      this.startedAt = this.now();
      this.setCurrent(id);
    }
    const conversation = { id, title: conversationTitle(finished), startedAt: this.startedAt, updatedAt: this.now(), exchanges: finished.map(keptExchange) };
    // A failed save is said once (notKept); the conversation goes on.
    this.write((archive) => archive.put(conversation)).catch(() => undefined);
    const { exchanges: kept, ...summary } = conversation;
    this.store.setState((state) => ({ conversations: [{ ...summary, exchangeCount: kept.length }, ...state.conversations.filter((other) => other.id !== id)] }));
  }

  /** Queues a write after the others; rejects with its failure (said once to the user), and the next write still runs. */
  private write(action: (archive: ConversationArchive) => Promise<void>): Promise<void> {
    const archive = this.archive;
    if (!archive) return Promise.reject(new Error('the browser’s storage is not available'));
    const done = this.writes.then(() => action(archive)).catch((error: unknown) => Promise.reject(new Error(reason(error))));
    this.writes = done.catch((error: unknown) => this.notKept(error));
    return done;
  }

  private setCurrent(id: string | null): void {
    this.store.setState({ currentId: id });
    try {
      if (id === null) this.ports.tabStorage?.removeItem(CURRENT_CONVERSATION_KEY);
      else this.ports.tabStorage?.setItem(CURRENT_CONVERSATION_KEY, id);
    } catch {
      // A tab that cannot remember it only loses the reload; the conversation is still kept.
    }
  }

  private unavailable(error: unknown): void {
    this.archive = null;
    this.store.setState({ status: 'unavailable', detail: reason(error) });
    this.notKept(error);
  }

  /** Said once per page: the conversation goes on, it is just not kept. */
  private notKept(error: unknown): void {
    if (this.told || !this.keeping) return;
    this.told = true;
    this.ports.notices
      .getState()
      .push('warning', 'This conversation is not being kept in this browser', [
        `The browser’s storage refused it: ${reason(error)}.`,
        'The conversation goes on in this page; save it as Markdown or JSON below to keep it, or free some space (the Models drawer lists what this site stores).',
      ]);
  }
}

function reason(error: unknown): string {
  if (error instanceof DOMException && error.name === 'QuotaExceededError') return 'the storage is full';
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\.$/, '') || 'no reason given';
}
