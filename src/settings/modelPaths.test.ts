import { describe, expect, it } from 'vitest';
import { modelIdProblem, modelPathProblem } from './modelPaths';
import { importCommandLine } from './commandLine';
import { defaultSettings } from './schema';
import { modelFileUrl, modelPathUrl } from '../models/modelLocation';

const HUB = new URL('https://huggingface.co/');

describe('model ids are names, never addresses', () => {
  it.each(['onnx-community/whisper-base', 'Xenova/mms-tts-eng', 'gpt2', 'test/tiny-random-kokoro', 'org/model.v1_2'])('%s is an id', (id) => {
    expect(modelIdProblem(id)).toBeUndefined();
    expect(new URL(modelFileUrl(HUB, id, 'config.json')).origin).toBe('https://huggingface.co');
  });

  it.each([
    ['//evil.example/x', /starts with \//],
    ['\\\\evil.example\\x', /backslash/],
    ['/\\evil.example/x', /backslash/],
    ['https://evil.example/x', /scheme/],
    ['evil.example:8000/x', /scheme/],
    ['data:text/plain,x', /scheme/],
    ['org/../../x', /more than one \//],
    ['..', /"\.\." part/],
    ['org/ model', /spaces/],
    ['org/model/extra', /more than one \//],
  ])('%s is refused (%s), and no address is built from it', (id, problem) => {
    expect(modelIdProblem(id)).toMatch(problem);
    expect(() => modelFileUrl(HUB, id, 'config.json')).toThrow(/is not|starts|has|contains/);
  });
});

describe('model paths are an http(s) URL or a path under the models location', () => {
  it('takes both, and builds the path under the models location', () => {
    expect(modelPathProblem('https://cdn.example/st.onnx')).toBeUndefined();
    expect(modelPathProblem('pipecat-ai/smart-turn-v3/smart-turn-v3.2-cpu.onnx')).toBeUndefined();
    expect(modelPathUrl(new URL('https://app.example/models/'), 'org/model/onnx/file.onnx')).toBe('https://app.example/models/org/model/onnx/file.onnx');
  });

  it.each(['//evil.example/a/b/c', '\\\\evil.example/a/b', 'file:///etc/passwd', 'javascript:alert(1)', 'org/model/../../../x', 'org/model', 'https://user:pw@cdn.example/x.onnx'])('refuses %s', (path) => {
    expect(modelPathProblem(path)).toBeDefined();
    expect(() => modelPathUrl(HUB, path)).toThrow();
  });
});

describe('an import with such a value', () => {
  it('is refused, naming the setting', () => {
    const result = importCommandLine('speech-to-speech --stt_model_name //evil.example/x --smart_turn_model_path \\\\evil.example/a/b', defaultSettings());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.join('\n')).toMatch(/--stt_model_name: "\/\/evil\.example\/x" starts with \//);
    expect(result.errors.join('\n')).toMatch(/--smart_turn_model_path: .* backslash/);
  });
});
