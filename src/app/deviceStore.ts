/** What the page shows of this device: what it can run, what the settings would download, and the browser's storage. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DeviceReport } from '../models/deviceProbe';

export interface StageDownload {
  readonly stage: string;
  readonly what: string;
  /** Bytes of its files, and of those not cached yet; null where unknown. */
  readonly bytes: number | null;
  readonly toDownload: number | null;
  readonly problem: string | null;
}

export interface DownloadEstimate {
  readonly status: 'measuring' | 'done';
  readonly stages: readonly StageDownload[];
}

export interface StorageEstimate {
  readonly usage: number;
  readonly quota: number;
  readonly persisted: boolean;
}

export interface DeviceState {
  /** Null while the probe runs. */
  readonly report: DeviceReport | null;
  readonly download: DownloadEstimate | null;
  readonly storage: StorageEstimate | null;
}

export type DeviceStore = StoreApi<DeviceState>;

export function createDeviceStore(): DeviceStore {
  return createStore<DeviceState>()(() => ({ report: null, download: null, storage: null }));
}
