import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { freshExchange, type Exchange } from '../pipeline/exchange';
import { conversationTitle, keptExchange, openConversationArchive } from './conversationArchive';

const exchange = (user: string, reply = 'Yes.'): Exchange => ({ ...freshExchange(user, null, 1234, 50), id: 1, turn: null, status: 'completed', reply });
let databases = 0;
const fresh = () => openConversationArchive(`archive-test-${databases++}`);

describe('the conversation archive', () => {
  it('keeps conversations, lists them newest first without their exchanges, and gives one back whole', async () => {
    const archive = await fresh();
    await archive.put({ id: 'a', title: 'first', startedAt: 1, updatedAt: 10, exchanges: [exchange('first')] });
    await archive.put({ id: 'b', title: 'second', startedAt: 2, updatedAt: 20, exchanges: [exchange('second'), exchange('more')] });
    expect(await archive.list()).toEqual([
      { id: 'b', title: 'second', startedAt: 2, updatedAt: 20, exchangeCount: 2 },
      { id: 'a', title: 'first', startedAt: 1, updatedAt: 10, exchangeCount: 1 },
    ]);
    expect((await archive.get('b'))?.exchanges.map((kept) => kept.user)).toEqual(['second', 'more']);
    expect(await archive.get('missing')).toBeNull();
  });

  it('an update replaces the conversation and moves it to the top', async () => {
    const archive = await fresh();
    await archive.put({ id: 'a', title: 'first', startedAt: 1, updatedAt: 10, exchanges: [exchange('first')] });
    await archive.put({ id: 'b', title: 'second', startedAt: 2, updatedAt: 20, exchanges: [exchange('second')] });
    await archive.put({ id: 'a', title: 'first', startedAt: 1, updatedAt: 30, exchanges: [exchange('first'), exchange('again')] });
    expect((await archive.list()).map((summary) => [summary.id, summary.exchangeCount])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('deletes one, then all, from the database itself', async () => {
    const name = `archive-test-${databases++}`;
    const archive = await openConversationArchive(name);
    await archive.put({ id: 'a', title: 'a', startedAt: 1, updatedAt: 1, exchanges: [] });
    await archive.put({ id: 'b', title: 'b', startedAt: 2, updatedAt: 2, exchanges: [] });
    await archive.delete('a');
    const reopened = await openConversationArchive(name);
    expect((await reopened.list()).map((summary) => summary.id)).toEqual(['b']);
    await reopened.deleteAll();
    expect(await (await openConversationArchive(name)).list()).toEqual([]);
  });
});

describe('what is kept of a conversation', () => {
  it('is titled by its first question, on one line, cut at a word', () => {
    expect(conversationTitle([exchange(' '), exchange('How far\n is the   Moon?')])).toBe('How far is the Moon?');
    const long = 'Tell me everything you know about the moons of Mars, Jupiter and Saturn, and which of them could hold water';
    const title = conversationTitle([exchange(long)]);
    expect(title.endsWith('…')).toBe(true);
    expect(title.length).toBeLessThanOrEqual(81);
    expect(long.startsWith(title.slice(0, -1))).toBe(true);
    expect(long[title.length - 1]).toBe(' ');
    expect(conversationTitle([])).toBe('A conversation');
  });

  it('drops the page-clock instant of a turn, which means nothing after a reload', () => {
    expect(keptExchange(exchange('hi')).turnEndedAt).toBeNull();
    expect(keptExchange(exchange('hi')).latency.transcriptMs).toBe(50);
  });
});
