/**
 * The `transformers` language model worker: one generation at a time, in order; an abort stops
 * the running one at its next token (the engine is free again right after) or drops a waiting one.
 */
import { configureLocation } from '../src/models/transformersLoading';
import { useLocalOnnxRuntime } from '../src/models/transformersRuntime';
import type { LlmCommand, LlmMessage } from '../src/stages/llm/llmProtocol';
import { TransformersEngine, type Generation } from '../src/stages/llm/transformersEngine';

type GenerateCommand = Extract<LlmCommand, { kind: 'generate' }>;

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: LlmMessage) => scope.postMessage(message);

let engine: TransformersEngine | null = null;
const waiting: GenerateCommand[] = [];
let running: { id: number; generation: Generation } | null = null;

async function load(command: Extract<LlmCommand, { kind: 'load' }>): Promise<void> {
  const began = performance.now();
  useLocalOnnxRuntime(command.ortWasm);
  configureLocation(command.location);
  engine = await TransformersEngine.load(command.modelId, command.runtime, (progress) => post({ kind: 'progress', progress }));
  post({ kind: 'ready', loadMs: performance.now() - began });
  void pump();
}

async function pump(): Promise<void> {
  if (!engine || running) return;
  const command = waiting.shift();
  if (!command) return;
  const began = performance.now();
  try {
    const generation = engine.generate(command.messages, command.options, (text) => post({ kind: 'delta', id: command.id, text }));
    running = { id: command.id, generation };
    const tokens = await generation.done;
    post({ kind: 'done', id: command.id, tokens, ms: performance.now() - began });
  } catch (error) {
    post({ kind: 'error', id: command.id, message: `the language model failed while generating (${error instanceof Error ? error.message : String(error)})` });
  }
  running = null;
  void pump();
}

scope.onmessage = (event: MessageEvent<LlmCommand>) => {
  const command = event.data;
  if (command.kind === 'load') {
    load(command).catch((error: unknown) => post({ kind: 'load-failed', message: error instanceof Error ? error.message : String(error) }));
  } else if (command.kind === 'generate') {
    waiting.push(command);
    void pump();
  } else if (running?.id === command.id) {
    running.generation.interrupt();
  } else {
    const index = waiting.findIndex((queued) => queued.id === command.id);
    if (index >= 0) waiting.splice(index, 1);
  }
};
