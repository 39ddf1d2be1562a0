/**
 * Keeps the download estimate beside the talk control up to date: after the device probe, and
 * whenever a setting changes what would be downloaded, each stage's files are measured (HEAD
 * requests for what no cache holds; nothing is downloaded). A returning visitor whose models are
 * all cached sends no request at all.
 */
import { cachedSize } from '../models/modelCache';
import { measureDownloads } from '../models/measureDownloads';
import type { SettingsStore } from '../settings/store';
import type { DeviceStore } from './deviceStore';
import { planDownloads } from './downloadPlan';

export function followDownloadEstimate(settings: SettingsStore, device: DeviceStore, page: string): () => Promise<void> {
  let measuredKey = '';
  let running: Promise<void> = Promise.resolve();
  const refresh = async (): Promise<void> => {
    const report = device.getState().report;
    if (!report) return;
    const plan = planDownloads(settings.getState().settings, report.gpu, page);
    const key = JSON.stringify(plan);
    if (key === measuredKey) return;
    measuredKey = key;
    device.setState({ download: { status: 'measuring', stages: plan.map(({ stage, what }) => ({ stage, what, bytes: null, toDownload: null, problem: null })) } });
    const stages = await Promise.all(plan.map(async ({ stage, what, files }) => ({ stage, what, ...(await measureDownloads(files, { cachedSize })) })));
    // A newer plan was measured meanwhile: its result stands.
    if (measuredKey === key) device.setState({ download: { status: 'done', stages } });
  };
  const queue = () => (running = running.then(refresh, refresh));
  settings.subscribe(() => void queue());
  device.subscribe((state, previous) => {
    if (state.report !== previous.report) void queue();
  });
  return () => {
    // Asked again (after models were downloaded or deleted): measure even if the plan is the same.
    measuredKey = '';
    return queue();
  };
}

/** The browser's storage for this site: what is used, how much it allows, and whether it may evict it. */
export async function storageEstimate(): Promise<{ usage: number; quota: number; persisted: boolean } | null> {
  if (!navigator.storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  return { usage, quota, persisted: (await navigator.storage.persisted?.()) ?? false };
}
