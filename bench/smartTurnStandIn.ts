/**
 * A Smart Turn stand-in that says what it is told: an ONNX graph with Smart Turn's input
 * (`input_features`, 80 x 800) and output (`logits`, one probability) whose answer is a constant.
 * The shared stand-in (random weights) calls every turn incomplete; this one shows what a turn
 * Smart Turn is sure of gets (the early release). Written with the few protobuf fields ONNX needs,
 * so the benchmark needs no Python.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Protobuf wire format: varints, and length-delimited fields. */
function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}
const key = (field: number, wire: number) => varint(field * 8 + wire);
const int = (field: number, value: number) => [...key(field, 0), ...varint(value)];
const bytes = (field: number, payload: number[]) => [...key(field, 2), ...varint(payload.length), ...payload];
const text = (field: number, value: string) => bytes(field, [...new TextEncoder().encode(value)]);

const FLOAT = 1;
/** A float tensor type of this shape (a string is a symbolic dimension). */
function tensorType(shape: (number | string)[]): number[] {
  const dims = shape.flatMap((dim) => bytes(1, typeof dim === 'number' ? int(1, dim) : text(2, dim)));
  return bytes(1, [...int(1, FLOAT), ...bytes(2, dims)]);
}
const valueInfo = (name: string, shape: (number | string)[]) => [...text(1, name), ...bytes(2, tensorType(shape))];

/** The ONNX model: `logits` is always `probability`, whatever the audio. */
export function constantSmartTurn(probability: number): Uint8Array {
  const value = new Uint8Array(new Float32Array([probability]).buffer);
  const tensor = [...int(1, 1), ...int(1, 1), ...int(2, FLOAT), ...bytes(9, [...value])];
  const attribute = [...text(1, 'value'), ...bytes(5, tensor), ...int(20, 4)];
  const node = [...text(2, 'logits'), ...text(3, 'answer'), ...text(4, 'Constant'), ...bytes(5, attribute)];
  const graph = [...bytes(1, node), ...text(2, 'smart-turn-stand-in'), ...bytes(11, valueInfo('input_features', ['batch', 80, 800])), ...bytes(12, valueInfo('logits', [1, 1]))];
  const model = [...int(1, 8), ...bytes(8, int(2, 13)), ...text(2, 'speech-to-speech-bench'), ...bytes(7, graph)];
  return new Uint8Array(model);
}

/** Serves the model (with CORS, as a model host does) on a local port. */
export async function serveConstantSmartTurn(probability: number): Promise<{ readonly url: string; close(): Promise<void> }> {
  const model = constantSmartTurn(probability);
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': model.length, 'access-control-allow-origin': '*' });
    response.end(model);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/smart-turn-constant.onnx`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
