import { describe, expect, it } from 'vitest';
import { conversationJson, conversationMarkdown, type ExportedExchange } from './conversationExport';

const at = new Date('2026-11-24T10:30:00Z');
const exchanges: ExportedExchange[] = [
  { user: 'How far is the moon?', reply: 'About 384,000 km. That is far.', status: 'completed', heard: null, language: 'en', error: null, firstTextMs: 120, firstAudioMs: 400 },
  { user: 'And the sun?', reply: 'About 150 million km. It is much further.', status: 'interrupted', heard: 'About 150 million', language: 'en', error: null, firstTextMs: 100, firstAudioMs: 380 },
  { user: 'Hello?', reply: '', status: 'failed', heard: null, language: null, error: 'The reply failed: the server is down.', firstTextMs: null, firstAudioMs: null },
];

describe('conversation export', () => {
  it('Markdown gives who said what, interrupted replies as heard, failures as such', () => {
    expect(conversationMarkdown(exchanges, at)).toBe(
      [
        '# Conversation, 2026-11-24 10:30 UTC',
        '',
        '**You:** How far is the moon?',
        '',
        '**Assistant:** About 384,000 km. That is far.',
        '',
        '**You:** And the sun?',
        '',
        '**Assistant:** About 150 million … _(interrupted)_',
        '',
        '**You:** Hello?',
        '',
        '**Assistant:** _(failed: The reply failed: the server is down.)_',
        '',
      ].join('\n'),
    );
  });

  it('each tool call is given after its reply, with its arguments and what went back to the model', () => {
    const withTool: ExportedExchange = {
      user: 'Weather in Lyon?',
      reply: 'Let me check. \n\nSunny, 21 °C.',
      status: 'completed',
      heard: null,
      language: 'en',
      error: null,
      firstTextMs: 100,
      firstAudioMs: 300,
      toolCalls: [{ name: 'get_weather', arguments: '{"city": "Lyon"}', result: 'Sunny and 21 °C\nin Lyon.' }, { name: 'add_note', arguments: '', result: null }],
    };
    expect(conversationMarkdown([withTool], at).split('\n').slice(4)).toEqual([
      '**Assistant:** Let me check. ',
      '',
      'Sunny, 21 °C.',
      '',
      '> Tool `get_weather` with `{"city": "Lyon"}`: Sunny and 21 °C in Lyon.',
      '',
      '> Tool `add_note` with `{}`: _(did not finish)_',
      '',
    ]);
    expect(JSON.parse(conversationJson([withTool], at))).toMatchObject({ exchanges: [{ toolCalls: withTool.toolCalls }] });
  });

  it('JSON keeps every exchange with its timings', () => {
    const parsed = JSON.parse(conversationJson(exchanges, at)) as { exportedAt: string; exchanges: ExportedExchange[] };
    expect(parsed.exportedAt).toBe('2026-11-24T10:30:00.000Z');
    expect(parsed.exchanges).toEqual(exchanges);
  });
});
