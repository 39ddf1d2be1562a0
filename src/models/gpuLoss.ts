/**
 * The code a worker fails with when its GPU device is lost (its `watchGpuDevice` saw it). Kept
 * apart from the watch, so the page can name it without carrying transformers.js.
 */
export const GPU_LOST = 'gpu-lost';
