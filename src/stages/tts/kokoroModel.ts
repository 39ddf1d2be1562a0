/** Kokoro's default model, apart from kokoro-js itself so naming it does not load the library. */
export const DEFAULT_KOKORO_MODEL = 'onnx-community/Kokoro-82M-v1.0-ONNX';
