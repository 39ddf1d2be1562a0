import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../settings/schema';
import { COMPACTION_SYSTEM_PROMPT, Conversation, languagePrompt, parseCompaction } from './conversation';
import { audioContentPart } from './audioInput';

const settings = { ...defaultSettings(), chat_size: 2 };

function talk(conversation: Conversation, turns: number, from = 1): void {
  for (let turn = from; turn < from + turns; turn++) {
    conversation.addUser(`question ${turn}`);
    conversation.addAssistant(`answer ${turn}`);
  }
}

describe('Conversation', () => {
  it('sends the system prompt under init_chat_role, then the turns', () => {
    const conversation = new Conversation({ ...settings, init_chat_role: 'developer', init_chat_prompt: 'Be brief.' }, false);
    talk(conversation, 1);
    expect(conversation.request()).toEqual([
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: 'question 1' },
      { role: 'assistant', content: 'answer 1' },
    ]);
    expect(new Conversation({ ...settings, init_chat_prompt: '  ' }, false).request()).toEqual([]);
  });

  it('without compaction, keeps chat_size user turns, evicting the oldest whole', () => {
    const conversation = new Conversation(settings, false);
    talk(conversation, 3);
    expect(conversation.trim()).toBeNull();
    expect(conversation.history.map((message) => message.content)).toEqual(['question 2', 'answer 2', 'question 3', 'answer 3']);
  });

  it('keeps at most twice chat_size user turns, even while compaction is pending', () => {
    const conversation = new Conversation(settings, true);
    talk(conversation, 6);
    expect(conversation.history.filter((message) => message.role === 'user')).toHaveLength(4);
    expect(conversation.history[0]?.content).toBe('question 3');
  });

  it('with compaction, summarises all but the newest user turn into one pair', () => {
    const conversation = new Conversation(settings, true);
    talk(conversation, 3);
    const job = conversation.trim();
    expect(job?.request[0]?.content).toBe(COMPACTION_SYSTEM_PROMPT);
    expect(job?.request[1]?.content).toContain('User: question 1\nAssistant: answer 1\nUser: question 2\nAssistant: answer 2\n--- CONVERSATION END ---');
    expect(job?.request[1]?.content).not.toContain('question 3');
    // The reply goes on while the summary is written.
    conversation.addUser('question 4');
    expect(conversation.trim()).toBeNull();
    if (!job) throw new Error('expected a job');
    expect(conversation.applyCompaction(job, '{"user_summary": "The user asked two questions.", "assistant_summary": "The assistant answered both."}')).toBe('applied');
    expect(conversation.history).toEqual([
      { role: 'user', content: 'The user asked two questions.' },
      { role: 'assistant', content: 'The assistant answered both.' },
      { role: 'user', content: 'question 3' },
      { role: 'assistant', content: 'answer 3' },
      { role: 'user', content: 'question 4' },
    ]);
  });

  it('leaves the turns as they are when compaction fails or the chat was reset meanwhile', () => {
    const conversation = new Conversation(settings, true);
    talk(conversation, 3);
    const failed = conversation.trim();
    if (!failed) throw new Error('expected a job');
    expect(conversation.applyCompaction(failed, new Error('HTTP 500'))).toBe('failed');
    expect(conversation.history).toHaveLength(6);
    const unreadable = conversation.trim();
    if (!unreadable) throw new Error('expected a job');
    expect(conversation.applyCompaction(unreadable, 'Sure! Here is a summary.')).toBe('failed');
    const stale = conversation.trim();
    if (!stale) throw new Error('expected a job');
    conversation.reset();
    talk(conversation, 1);
    expect(conversation.applyCompaction(stale, '{"user_summary": "u", "assistant_summary": "a"}')).toBe('stale');
    expect(conversation.history.map((message) => message.content)).toEqual(['question 1', 'answer 1']);
  });

  it('stores an interrupted reply as what was played, and nothing when nothing was', () => {
    const conversation = new Conversation(settings, false);
    conversation.addUser('tell me a story');
    conversation.addAssistant('Once upon a time,');
    conversation.addUser('stop');
    conversation.addAssistant('');
    expect(conversation.history.map((message) => message.content)).toEqual(['tell me a story', 'Once upon a time,', 'stop']);
  });

  it('adds the language prompt to the request only, when enable_lang_prompt is on', () => {
    const on = new Conversation({ ...settings, enable_lang_prompt: true }, false);
    on.addUser('bonjour');
    expect(on.request('fr-auto').at(-1)).toEqual({ role: 'user', content: 'Please reply to my message in French.' });
    expect(on.history).toHaveLength(1);
    const off = new Conversation(settings, false);
    off.addUser('bonjour');
    expect(off.request('fr').at(-1)).toEqual({ role: 'user', content: 'bonjour' });
  });
});

describe('languagePrompt and parseCompaction', () => {
  it('names Whisper languages, with or without -auto, and nothing else', () => {
    expect(languagePrompt('de')?.content).toBe('Please reply to my message in German.');
    expect(languagePrompt('yue-auto')?.content).toBe('Please reply to my message in Cantonese.');
    expect(languagePrompt('xx')).toBeNull();
    expect(languagePrompt(null)).toBeNull();
  });

  it('reads the summary JSON, also inside stray text, and rejects missing fields', () => {
    expect(parseCompaction('Here: {"user_summary": " u ", "assistant_summary": "a"} done')).toEqual({ userSummary: 'u', assistantSummary: 'a' });
    expect(() => parseCompaction('{"user_summary": "u"}')).toThrow('assistant_summary');
    expect(() => parseCompaction('no json')).toThrow();
  });
});

describe('Conversation.retractLastUser', () => {
  it('takes back the newest user message and what follows it, nothing older', () => {
    const conversation = new Conversation({ init_chat_prompt: 'Be brief.', init_chat_role: 'system', user_role: 'user', chat_size: 5, enable_lang_prompt: false }, false);
    conversation.addUser('first');
    conversation.addAssistant('one');
    conversation.addUser('second');
    conversation.retractLastUser();
    expect(conversation.history).toEqual([{ role: 'user', content: 'first' }, { role: 'assistant', content: 'one' }]);
    conversation.retractLastUser();
    conversation.retractLastUser();
    expect(conversation.history).toEqual([]);
  });
});

describe('one spoken turn, one user message', () => {
  it('a later revision of a turn replaces its message and the reply to it; typed messages and other turns stay', () => {
    const conversation = new Conversation({ init_chat_prompt: '', init_chat_role: 'system', user_role: 'user', chat_size: 5, enable_lang_prompt: false }, false);
    conversation.addUser('typed');
    conversation.addAssistant('typed answer');
    conversation.addUser('What is that?', 7);
    conversation.addAssistant('Paris is the capital.');
    conversation.addUser('What is the capital of France?', 7);
    expect(conversation.history.map((message) => message.content)).toEqual(['typed', 'typed answer', 'What is the capital of France?']);
    conversation.addAssistant('Paris.');
    conversation.addUser('And Spain?', 8);
    conversation.retractTurn(7);
    expect(conversation.history.map((message) => message.content)).toEqual(['typed', 'typed answer']);
    // A turn with no message: nothing goes.
    conversation.retractTurn(9);
    expect(conversation.history).toHaveLength(2);
  });

  it('a turn keeps its identity when its audio is dropped from the history', () => {
    const conversation = new Conversation({ ...settings, chat_size: 10 }, false);
    conversation.addUser([{ type: 'text', text: 'turn 1' }, audioContentPart(new Float32Array(1600), 'input_audio')], 1);
    conversation.addAssistant('answer 1');
    conversation.keepRecentAudio(0);
    conversation.addUser('turn 1, longer', 1);
    expect(conversation.history.map((message) => message.content)).toEqual(['turn 1, longer']);
  });
});

describe('Conversation.keepRecentAudio', () => {
  it('drops the audio of older spoken turns from the history it holds, keeping their words', () => {
    const conversation = new Conversation({ ...settings, chat_size: 10 }, false);
    for (let turn = 1; turn <= 3; turn++) {
      conversation.addUser([{ type: 'text', text: `turn ${turn}` }, audioContentPart(new Float32Array(1600), 'input_audio')]);
      conversation.addAssistant(`answer ${turn}`);
    }
    conversation.keepRecentAudio(1);
    const withAudio = conversation.history.filter((message) => JSON.stringify(message).includes('input_audio'));
    expect(withAudio).toHaveLength(1);
    expect(JSON.stringify(withAudio[0])).toContain('turn 3');
    expect(JSON.stringify(conversation.history)).toContain('turn 1');
    conversation.keepRecentAudio(0);
    expect(JSON.stringify(conversation.history)).not.toContain('input_audio');
  });
});
