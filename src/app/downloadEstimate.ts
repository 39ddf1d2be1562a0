/**
 * Keeps the download estimate beside the talk control up to date: after the device probe, and
 * whenever a setting changes what would be downloaded, each stage's files are measured (HEAD
 * requests for what no cache holds; nothing is downloaded). A returning visitor whose models are
 * all cached sends no request at all, and nothing is asked of a host the user has not allowed.
 */
import { cachedSize } from '../models/modelCache';
import { measureDownloads, type Measured } from '../models/measureDownloads';
import { isAllowedUrl, type HostConsent } from '../settings/hostConsent';
import { hostOf } from '../settings/keyBinding';
import type { SettingsStore } from '../settings/store';
import type { DeviceStore } from './deviceStore';
import { planDownloads, type PlannedStage } from './downloadPlan';

/** One stage's download, unless its files cannot be named or lie on a host not allowed yet. */
export async function measureStage(planned: PlannedStage, consent: HostConsent, page: string): Promise<Measured> {
  if (planned.problem !== undefined) return { bytes: null, toDownload: null, problem: planned.problem };
  const elsewhere = planned.files.find((file) => !isAllowedUrl(file.url, consent, page));
  if (elsewhere) return { bytes: null, toDownload: null, problem: `Not measured: ${hostOf(elsewhere.url)} is not allowed yet (see the top of the page).` };
  return measureDownloads(planned.files, { cachedSize });
}

export function followDownloadEstimate(settings: SettingsStore, device: DeviceStore, page: string): () => Promise<void> {
  let measuredKey = '';
  let running: Promise<void> = Promise.resolve();
  const refresh = async (): Promise<void> => {
    const report = device.getState().report;
    if (!report) return;
    const { settings: current, hostConsent } = settings.getState();
    const plan = planDownloads(current, report.gpu, page);
    const key = JSON.stringify({ plan, hostConsent });
    if (key === measuredKey) return;
    measuredKey = key;
    device.setState({ download: { status: 'measuring', stages: plan.map(({ stage, what }) => ({ stage, what, bytes: null, toDownload: null, problem: null })) } });
    const stages = await Promise.all(plan.map(async (planned) => ({ stage: planned.stage, what: planned.what, ...(await measureStage(planned, hostConsent, page)) })));
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
