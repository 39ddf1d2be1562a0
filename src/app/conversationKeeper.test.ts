import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { freshExchange, type Exchange } from '../pipeline/exchange';
import { MemoryStorage } from '../settings/memoryStorage.testSupport';
import { createSettingsStore } from '../settings/store';
import { openConversationArchive, type ConversationArchive } from './conversationArchive';
import { CURRENT_CONVERSATION_KEY, ConversationKeeper } from './conversationKeeper';
import { createConversationStore } from './conversationStore';
import { createNoticesStore } from './noticesStore';

let databases = 0;

function rig(archive: Promise<ConversationArchive> = openConversationArchive(`keeper-test-${databases++}`), tab = new MemoryStorage()) {
  const conversation = createConversationStore();
  const settings = createSettingsStore({ storage: () => new MemoryStorage(), report: () => undefined, page: 'https://app.example/' });
  const notices = createNoticesStore();
  const restored: (readonly Exchange[])[] = [];
  let forgotten = 0;
  let ids = 0;
  let clock = 1000;
  const keeper = new ConversationKeeper({
    conversation,
    settings,
    notices,
    archive,
    restore: (exchanges) => {
      restored.push(exchanges);
      conversation.setState({ exchanges: [] });
      conversation.setState({ exchanges: exchanges.map((exchange, index) => ({ ...exchange, id: 100 + index })) });
    },
    forget: () => {
      forgotten++;
      conversation.setState({ exchanges: [] });
    },
    tabStorage: tab,
    now: () => (clock += 1000),
    newId: () => `c${++ids}`,
  });
  const add = (exchange: Exchange) => conversation.setState((state) => ({ exchanges: [...state.exchanges, exchange] }));
  const update = (id: number, change: Partial<Exchange>) => conversation.setState((state) => ({ exchanges: state.exchanges.map((one) => (one.id === id ? { ...one, ...change } : one)) }));
  return { keeper, conversation, settings, notices, restored, tab, archive, add, update, forgotten: () => forgotten };
}

const exchange = (id: number, user: string): Exchange => ({ ...freshExchange(user, null, null, 120), id, turn: null });
/** Lets the archive's writes land. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('keeping the conversation', () => {
  it('saves each exchange once it has finished, with its timings, and remembers it for this tab', async () => {
    const { keeper, add, update, archive, tab } = rig();
    await keeper.ready;
    add(exchange(1, 'How far is the Moon?'));
    update(1, { status: 'streaming', reply: 'About' });
    await settle();
    expect(await (await archive).list()).toEqual([]);
    update(1, { status: 'completed', reply: 'About 384,000 km.', firstTextMs: 80 });
    await settle();
    const [summary] = await (await archive).list();
    expect(summary).toMatchObject({ id: 'c1', title: 'How far is the Moon?', exchangeCount: 1 });
    expect((await (await archive).get('c1'))?.exchanges[0]).toMatchObject({ reply: 'About 384,000 km.', firstTextMs: 80, latency: { transcriptMs: 120 } });
    expect(tab.getItem(CURRENT_CONVERSATION_KEY)).toBe('c1');
    expect(keeper.store.getState().conversations.map((one) => one.id)).toEqual(['c1']);
  });

  it('a reload of the tab brings its conversation back; another tab starts empty', async () => {
    const first = rig();
    await first.keeper.ready;
    first.add({ ...exchange(1, 'hello'), status: 'completed', reply: 'Hi.' });
    first.add({ ...exchange(2, 'and then'), status: 'interrupted', reply: 'Well, then.', heard: 'Well,' });
    await settle();
    const reload = rig(first.archive, first.tab);
    await reload.keeper.ready;
    expect(reload.restored).toHaveLength(1);
    expect(reload.restored[0]?.map((kept) => [kept.user, kept.status, kept.heard])).toEqual([
      ['hello', 'completed', null],
      ['and then', 'interrupted', 'Well,'],
    ]);
    // What follows is added to the same kept conversation.
    reload.add({ ...exchange(102, 'more'), status: 'completed', reply: 'Yes.' });
    await settle();
    expect((await (await first.archive).list()).map((one) => [one.id, one.exchangeCount])).toEqual([['c1', 3]]);
    const otherTab = rig(first.archive);
    await otherTab.keeper.ready;
    expect(otherTab.restored).toEqual([]);
  });

  it('a new conversation is kept apart from the one before', async () => {
    const { keeper, add, conversation, archive } = rig();
    await keeper.ready;
    add({ ...exchange(1, 'first'), status: 'completed', reply: 'One.' });
    conversation.setState({ exchanges: [] });
    expect(keeper.store.getState().currentId).toBeNull();
    add({ ...exchange(2, 'second'), status: 'completed', reply: 'Two.' });
    await settle();
    expect((await (await archive).list()).map((one) => one.title)).toEqual(['second', 'first']);
  });

  it('continues a kept conversation, and deletes one or all from the database; the one on screen leaves it', async () => {
    const { keeper, add, conversation, archive, restored, forgotten } = rig();
    await keeper.ready;
    add({ ...exchange(1, 'first'), status: 'completed', reply: 'One.' });
    conversation.setState({ exchanges: [] });
    add({ ...exchange(2, 'second'), status: 'completed', reply: 'Two.' });
    await settle();
    expect(await keeper.continue('c1')).toBe(true);
    expect(restored.at(-1)?.map((kept) => kept.user)).toEqual(['first']);
    expect(keeper.store.getState().currentId).toBe('c1');
    await keeper.delete('c1');
    expect(keeper.store.getState().currentId).toBeNull();
    expect(forgotten()).toBe(1);
    expect(conversation.getState().exchanges).toEqual([]);
    expect((await (await archive).list()).map((one) => one.id)).toEqual(['c2']);
    expect(await keeper.continue('c1')).toBe(false);
    add({ ...exchange(3, 'third'), status: 'completed', reply: 'Three.' });
    await settle();
    await keeper.deleteAll();
    expect(forgotten()).toBe(2);
    expect(await (await archive).list()).toEqual([]);
    expect(keeper.store.getState().conversations).toEqual([]);
  });

  it('keeps nothing while keep_conversations is off', async () => {
    const { keeper, add, settings, archive } = rig();
    await keeper.ready;
    settings.getState().setSetting('keep_conversations', false);
    add({ ...exchange(1, 'private'), status: 'completed', reply: 'Yes.' });
    await settle();
    expect(await (await archive).list()).toEqual([]);
  });
});

describe('storage refused or full', () => {
  it('an archive the browser refuses: said once, and the conversation goes on', async () => {
    const { keeper, add, notices, conversation } = rig(Promise.reject(new Error('the operation is insecure')));
    await keeper.ready;
    add({ ...exchange(1, 'hi'), status: 'completed', reply: 'Hi.' });
    add({ ...exchange(2, 'again'), status: 'completed', reply: 'Hi.' });
    expect(keeper.store.getState()).toMatchObject({ status: 'unavailable', detail: 'the operation is insecure' });
    expect(notices.getState().notices.map((notice) => notice.title)).toEqual(['This conversation is not being kept in this browser']);
    expect(conversation.getState().exchanges).toHaveLength(2);
  });

  it('a full storage: said once however many saves fail', async () => {
    const full: ConversationArchive = {
      list: () => Promise.resolve([]),
      get: () => Promise.resolve(null),
      put: () => Promise.reject(new DOMException('quota', 'QuotaExceededError')),
      delete: () => Promise.resolve(),
      deleteAll: () => Promise.resolve(),
    };
    const { keeper, add, notices } = rig(Promise.resolve(full));
    await keeper.ready;
    add({ ...exchange(1, 'hi'), status: 'completed', reply: 'Hi.' });
    await settle();
    add({ ...exchange(2, 'again'), status: 'completed', reply: 'Hi.' });
    await settle();
    expect(notices.getState().notices).toHaveLength(1);
    expect(notices.getState().notices[0]?.details[0]).toBe('The browser’s storage refused it: the storage is full.');
  });

  it('a delete the storage refuses rejects with why, and the writes after it still run', async () => {
    let deletes = 0;
    const refusing: ConversationArchive = {
      list: () => Promise.resolve([]),
      get: () => Promise.resolve(null),
      put: () => Promise.resolve(),
      delete: () => (++deletes === 1 ? Promise.reject(new DOMException('quota', 'QuotaExceededError')) : Promise.resolve()),
      deleteAll: () => Promise.resolve(),
    };
    const { keeper } = rig(Promise.resolve(refusing));
    await keeper.ready;
    await expect(keeper.delete('a')).rejects.toThrow('the storage is full');
    await expect(keeper.delete('b')).resolves.toBeUndefined();
  });
});
