/**
 * The conversations this browser keeps, in IndexedDB (through idb): each one's finished exchanges
 * with their timings, its title (the first question) and its dates. Nothing of it leaves the device.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Exchange } from '../pipeline/exchange';

export interface KeptConversation {
  readonly id: string;
  /** The first question, shortened. */
  readonly title: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly exchanges: readonly Exchange[];
}

/** What the list of conversations shows of one. */
export type ConversationSummary = Omit<KeptConversation, 'exchanges'> & { readonly exchangeCount: number };

export interface ConversationArchive {
  list(): Promise<ConversationSummary[]>;
  get(id: string): Promise<KeptConversation | null>;
  put(conversation: KeptConversation): Promise<void>;
  delete(id: string): Promise<void>;
  deleteAll(): Promise<void>;
}

interface ArchiveSchema extends DBSchema {
  conversations: { key: string; value: KeptConversation; indexes: { updatedAt: number } };
}

export const ARCHIVE_DATABASE = 'speech-to-speech-conversations';
const TITLE_CHARACTERS = 80;
/** IndexedDB can wait without end (another tab holding an older version open): past this, the archive is unavailable. */
export const ARCHIVE_OPEN_TIMEOUT_MS = 5000;

/** The title of a conversation: its first question, on one line, cut at a word. */
export function conversationTitle(exchanges: readonly Exchange[]): string {
  const first = exchanges.find((exchange) => exchange.user.trim() !== '')?.user.replace(/\s+/g, ' ').trim() ?? '';
  if (first === '') return 'A conversation';
  if (first.length <= TITLE_CHARACTERS) return first;
  const cut = first.slice(0, TITLE_CHARACTERS);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : TITLE_CHARACTERS)}…`;
}

/** An exchange as it is kept: its page-clock instant means nothing after a reload. */
export function keptExchange(exchange: Exchange): Exchange {
  return { ...exchange, turnEndedAt: null };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Opens the archive; rejects (within a bound) where the browser refuses storage. */
export async function openConversationArchive(name = ARCHIVE_DATABASE): Promise<ConversationArchive> {
  if (typeof indexedDB === 'undefined') throw new Error('this browser offers no IndexedDB here');
  const database: IDBPDatabase<ArchiveSchema> = await withTimeout(
    openDB<ArchiveSchema>(name, 1, {
      upgrade(db) {
        db.createObjectStore('conversations', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
      },
    }),
    ARCHIVE_OPEN_TIMEOUT_MS,
    'The browser’s storage (IndexedDB)',
  );
  const bounded = <T>(promise: Promise<T>) => withTimeout(promise, ARCHIVE_OPEN_TIMEOUT_MS, 'The browser’s storage (IndexedDB)');
  return {
    list: async () => {
      const all = await bounded(database.getAllFromIndex('conversations', 'updatedAt'));
      return all.reverse().map(({ exchanges, ...summary }) => ({ ...summary, exchangeCount: exchanges.length }));
    },
    get: async (id) => (await bounded(database.get('conversations', id))) ?? null,
    put: async (conversation) => {
      await bounded(database.put('conversations', conversation));
    },
    delete: (id) => bounded(database.delete('conversations', id)),
    deleteAll: () => bounded(database.clear('conversations')),
  };
}
