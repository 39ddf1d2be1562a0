import { describe, expect, it } from 'vitest';
import { modelHostsToConfirm } from './modelHosts';
import { defaultSettings } from '../settings/schema';

const PAGE = 'https://voice.example.org/app/';
const settings = defaultSettings();

describe('modelHostsToConfirm', () => {
  it('asks for a models location on another host, not for this site or the host already in use', () => {
    expect(modelHostsToConfirm(settings, { ...settings, models_base_url: 'https://models.evil.example/m/' }, PAGE)).toEqual([{ key: 'models_base_url', value: 'https://models.evil.example/m/', host: 'models.evil.example' }]);
    expect(modelHostsToConfirm(settings, { ...settings, models_base_url: '/models/' }, PAGE)).toEqual([]);
    expect(modelHostsToConfirm(settings, { ...settings, models_base_url: 'https://huggingface.co/other/' }, PAGE)).toEqual([]);
  });

  it('asks for a Smart Turn model at a URL on another host, not for a path under the models location', () => {
    expect(modelHostsToConfirm(settings, { ...settings, smart_turn_model_path: 'https://files.example.net/turn.onnx' }, PAGE)).toEqual([{ key: 'smart_turn_model_path', value: 'https://files.example.net/turn.onnx', host: 'files.example.net' }]);
    expect(modelHostsToConfirm(settings, { ...settings, smart_turn_model_path: 'org/model/turn.onnx' }, PAGE)).toEqual([]);
    expect(modelHostsToConfirm(settings, { ...settings, smart_turn_model_path: 'https://voice.example.org/turn.onnx' }, PAGE)).toEqual([]);
  });
});
