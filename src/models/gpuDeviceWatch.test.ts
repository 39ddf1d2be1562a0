import { env } from '@huggingface/transformers';
import { afterEach, describe, expect, it } from 'vitest';
import { watchGpuDevice } from './gpuDeviceWatch';

const webgpu = env.backends.onnx.webgpu as { device?: unknown };
const original = webgpu.device;
afterEach(() => {
  webgpu.device = original;
});

function deviceLost(info: { reason: string; message: string }) {
  webgpu.device = Promise.resolve({ lost: Promise.resolve(info) });
}

describe('watchGpuDevice', () => {
  it('reports a device the GPU lost, in words', async () => {
    deviceLost({ reason: 'unknown', message: 'Device was lost by the driver' });
    const lost: string[] = [];
    watchGpuDevice((message) => lost.push(message));
    await expect.poll(() => lost).toEqual(['The GPU stopped working (Device was lost by the driver).']);
  });

  it('says nothing of a device destroyed on purpose, or of no WebGPU device at all', async () => {
    const lost: string[] = [];
    deviceLost({ reason: 'destroyed', message: '' });
    watchGpuDevice((message) => lost.push(message));
    webgpu.device = undefined;
    watchGpuDevice((message) => lost.push(message));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(lost).toEqual([]);
  });
});
