import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { configureLocation } from '../../models/transformersLoading';
import { transformersLocation } from '../../models/transformersLocation';
import { SHARED_MODELS } from '../../sharedModels.testSupport';
import type { LoadProgress } from '../../models/loadProgress';
import { toolInstructions } from './localToolFormat';
import { TransformersEngine } from './transformersEngine';

// The SmolLM2-shaped stand-in: the real tokenizer and chat template, random weights (its text means nothing).
const MODEL = 'test/tiny-random-smollm2';
const messages = [
  { role: 'system', content: 'You are brief.' },
  { role: 'user', content: 'What is the capital of France?' },
  { role: 'assistant', content: 'Paris.' },
  { role: 'user', content: 'And of Spain?' },
];

/** A tool, and one round of it: the question, the call, its answer. */
const time = { name: 'get_current_time', description: 'The time.', parameters: { type: 'object', properties: {} } };
const round = [
  { role: 'system', content: 'You are brief.' },
  { role: 'user', content: 'Time?' },
  { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', name: 'get_current_time', arguments: '{}' }] },
  { role: 'tool', content: 'noon', tool_call_id: 'call_1' },
];

let engine: TransformersEngine;
const progress: LoadProgress[] = [];

beforeAll(async () => {
  // Node reads a folder path where the browser reads a path on its own site.
  configureLocation({ ...transformersLocation('/models/', 'http://localhost/'), localModelPath: `${SHARED_MODELS}/` });
  engine = await TransformersEngine.load(MODEL, { device: 'cpu' as 'wasm', dtype: 'fp32' }, (event) => progress.push(event));
}, 60_000);

describe('TransformersEngine with the SmolLM2 stand-in', () => {
  it('reports per-file load progress', () => {
    expect(progress.some((event) => event.file.endsWith('model.onnx') && event.done)).toBe(true);
    expect(progress.some((event) => event.file === 'tokenizer.json')).toBe(true);
  });

  it('gives the model exactly the chat template over the system prompt and the window', () => {
    expect(engine.prompt(messages)).toBe(
      '<|im_start|>system\nYou are brief.<|im_end|>\n' +
        '<|im_start|>user\nWhat is the capital of France?<|im_end|>\n' +
        '<|im_start|>assistant\nParis.<|im_end|>\n' +
        '<|im_start|>user\nAnd of Spain?<|im_end|>\n' +
        '<|im_start|>assistant\n',
    );
  });

  it('with tools, where the template takes none (SmolLM2’s): the tools in the system prompt, a tool round as the model writes it', () => {
    expect(engine.prompt(round, [time])).toBe(
      `<|im_start|>system\nYou are brief.\n\n${toolInstructions([time])}<|im_end|>\n` +
        '<|im_start|>user\nTime?<|im_end|>\n' +
        '<|im_start|>assistant\n<tool_call>\n{"name":"get_current_time","arguments":{}}\n</tool_call><|im_end|>\n' +
        '<|im_start|>user\n<tool_response>\nnoon\n</tool_response><|im_end|>\n' +
        '<|im_start|>assistant\n',
    );
  });

  it('streams the reply as it is generated, up to max_new_tokens', async () => {
    const pieces: string[] = [];
    const generation = engine.generate(messages, { max_new_tokens: 12, do_sample: false }, (text) => pieces.push(text));
    await expect(generation.done).resolves.toBe(12);
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('').trim().split(/\s+/).length).toBeGreaterThan(3);
  });

  it('stops within one token of an interrupt, and generates again afterwards', async () => {
    let tokensAtInterrupt = -1;
    let pieces = 0;
    const generation = engine.generate(messages, { max_new_tokens: 200, do_sample: false }, () => {
      pieces++;
      if (pieces === 3) {
        generation.interrupt();
        tokensAtInterrupt = generation.tokens;
      }
    });
    const tokens = await generation.done;
    expect(tokensAtInterrupt).toBeGreaterThanOrEqual(3);
    expect(tokens - tokensAtInterrupt).toBeLessThanOrEqual(1);
    await expect(engine.generate(messages, { max_new_tokens: 4 }, () => undefined).done).resolves.toBe(4);
  });

  it('runs each turn on the previous turns’ cache and answers exactly as without it', async () => {
    const options = { max_new_tokens: 8, do_sample: false };
    const reply = async (on: TransformersEngine, window: typeof messages) => {
      const pieces: string[] = [];
      const generation = on.generate(window, options, (text) => pieces.push(text));
      await generation.done;
      return { text: pieces.join(''), promptTokens: generation.promptTokens, cachedTokens: generation.cachedTokens };
    };
    const fresh = await TransformersEngine.load(MODEL, { device: 'cpu' as 'wasm', dtype: 'fp32' });
    try {
      const first = messages.slice(0, 2);
      const turn1 = await reply(engine, first);
      // The reply as it was given, then the user's next turn.
      const second = [...first, { role: 'assistant' as const, content: turn1.text }, { role: 'user' as const, content: 'And of Spain?' }];
      const turn2 = await reply(engine, second);
      expect(turn2.cachedTokens).toBeGreaterThanOrEqual(turn1.promptTokens);
      expect(turn2.cachedTokens).toBeLessThan(turn2.promptTokens);
      const turn2Fresh = await reply(fresh, second);
      expect(turn2Fresh.cachedTokens).toBe(0);
      expect(turn2.text).toBe(turn2Fresh.text);

      // A reply cut short by a barge-in is kept as heard: the cache is cut back to what is shared.
      const heard = [...first, { role: 'assistant' as const, content: turn1.text.slice(0, 3) }, { role: 'user' as const, content: 'Sorry, Spain?' }];
      const turn3 = await reply(engine, heard);
      expect(turn3.cachedTokens).toBeGreaterThanOrEqual(turn1.promptTokens);
      expect(turn3.cachedTokens).toBeLessThan(turn2.promptTokens);
      await reply(fresh, messages);
      expect((await reply(fresh, heard)).text).toBe(turn3.text);

      // A generation that fails takes its cache with it: the next turn starts afresh, and answers as a fresh engine does.
      await expect(engine.generate(heard, { ...options, logits_processor: 5 }, () => undefined).done).rejects.toThrow();
      const afterFailure = await reply(engine, heard);
      expect(afterFailure.cachedTokens).toBe(0);
      expect(afterFailure.text).toBe(turn3.text);

      // A new system prompt shares only the template's opening tokens.
      const renamed = [{ role: 'system' as const, content: 'You are verbose.' }, ...heard.slice(1)];
      const turn4 = await reply(engine, renamed);
      expect(turn4.cachedTokens).toBeLessThan(8);
      expect((await reply(fresh, renamed)).text).toBe(turn4.text);
    } finally {
      await fresh.dispose();
    }
  }, 60_000);
});

/** A model whose chat template takes tools (Qwen's form, shortened): the same stand-in with another template. */
const TOOLS_TEMPLATE = [
  "{%- if tools %}<|im_start|>system\n{{ messages[0]['content'] if messages[0]['role'] == 'system' else 'You are helpful.' }}\n\n# Tools\n<tools>",
  '{%- for tool in tools %}\n{{ tool | tojson }}{%- endfor %}\n</tools><|im_end|>\n{% endif %}',
  "{%- for message in messages %}{%- if message.role == 'system' and tools %}",
  "{%- elif message.role == 'tool' %}<|im_start|>user\n<tool_response>\n{{ message.content }}\n</tool_response><|im_end|>\n",
  '{%- elif message.tool_calls %}<|im_start|>assistant\n{{ message.content }}{%- for call in message.tool_calls %}\n<tool_call>\n{"name": "{{ call.function.name }}", "arguments": {{ call.function.arguments | tojson }}}\n</tool_call>{%- endfor %}<|im_end|>\n',
  "{%- else %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{%- endif %}{%- endfor %}",
  '{%- if add_generation_prompt %}<|im_start|>assistant\n{%- endif %}',
].join('');

describe('TransformersEngine with a chat template that takes tools', () => {
  it('gives the tools to the template, and a tool round in its own fields', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tools-template-'));
    const model = join(folder, 'test', 'tools-template');
    mkdirSync(model, { recursive: true });
    const source = join(SHARED_MODELS, MODEL);
    for (const file of ['config.json', 'generation_config.json', 'tokenizer.json', 'special_tokens_map.json', 'onnx']) symlinkSync(join(source, file), join(model, file));
    const config = JSON.parse(readFileSync(join(source, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(model, 'tokenizer_config.json'), JSON.stringify({ ...config, chat_template: TOOLS_TEMPLATE }));
    configureLocation({ ...transformersLocation('/models/', 'http://localhost/'), localModelPath: `${folder}/` });
    const withTools = await TransformersEngine.load('test/tools-template', { device: 'cpu' as 'wasm', dtype: 'fp32' });
    try {
      const prompt = withTools.prompt(round, [time]);
      // The template's own route: its tools block with the tool as JSON, the call's arguments as an object, the result as its response.
      expect(prompt).toContain('# Tools\n<tools>{"type": "function", "function": {"name": "get_current_time", "description": "The time."');
      expect(prompt).toContain('<tool_call>\n{"name": "get_current_time", "arguments": {}}\n</tool_call>');
      expect(prompt).toContain('<tool_response>\nnoon\n</tool_response>');
      expect(prompt.startsWith('<|im_start|>system\nYou are brief.')).toBe(true);
      expect(prompt.endsWith('<|im_start|>assistant')).toBe(true);
      // Not the system-prompt route of templates without tools.
      expect(prompt).not.toContain('You may call one or more functions');
    } finally {
      await withTools.dispose();
      configureLocation({ ...transformersLocation('/models/', 'http://localhost/'), localModelPath: `${SHARED_MODELS}/` });
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
