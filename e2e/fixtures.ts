import { test as base, chromium, expect, type Page } from '@playwright/test';
import { chromiumLaunchOptions, withMicrophoneClip } from './chromium';
import { startLlmServer, type LlmServer } from './llmServer';

/** The model host the app measures downloads on by default: unreachable here, so it answers as a host that is down. */
const HUB = 'https://huggingface.co/**';

/**
 * Collects console errors, uncaught exceptions and requests that leave the page's origin. The
 * page measures model downloads with HEAD requests before anything is downloaded: those are
 * expected (a missing optional file answers 404), wherever the models are, and only those.
 */
async function watch(page: Page, origin: string, allowedHosts: readonly string[] = []): Promise<string[]> {
  const problems: string[] = [];
  const measured = new Set<string>();
  await page.route(HUB, (route) => (route.request().method() === 'HEAD' ? route.fulfill({ status: 503 }) : route.fallback()));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() === 'HEAD') {
      measured.add(request.url());
      return;
    }
    if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== origin && !allowedHosts.includes(url.hostname)) problems.push(`request outside the origin: ${request.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The browser's own note of an error status: from a test server the test made fail on purpose, or from a download measured.
    const source = message.location().url;
    if (message.text().startsWith('Failed to load resource') && source && (allowedHosts.includes(new URL(source).hostname) || measured.has(source))) return;
    // The browser's own note of a WebSocket to a test server that refused it on purpose.
    const socket = /^WebSocket connection to '([^']+)' failed/.exec(message.text())?.[1];
    if (socket && allowedHosts.includes(new URL(socket).hostname)) return;
    // The browser's own note of a test server that does not allow pages (no CORS headers), on purpose.
    const refused = /^Access to fetch at '([^']+)' from origin '[^']+' has been blocked by CORS policy/.exec(message.text())?.[1];
    if (refused && allowedHosts.includes(new URL(refused).hostname)) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // A Content-Security-Policy violation in the page is reported there; in a worker, to the preview server.
  await page.addInitScript(() => {
    addEventListener('securitypolicyviolation', (event) => console.error(`Content-Security-Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`));
  });
  await policyReports(origin);
  return problems;
}

/** The policy violations the preview server was told of since the last call (it forgets them). */
export async function policyReports(origin: string): Promise<string[]> {
  const reports = (await (await fetch(new URL('/__csp-reports', origin))).json()) as { 'csp-report'?: { 'violated-directive'?: string; 'blocked-uri'?: string; 'source-file'?: string } }[];
  return reports.map(({ 'csp-report': report }) => `Content-Security-Policy violation: ${report?.['violated-directive']} blocked ${report?.['blocked-uri']} in ${report?.['source-file']}`);
}

/**
 * `watched`: the page, failing the test on any console error, uncaught exception, or request
 * outside its own origin (no setting in these tests asks for one).
 * `listeningPage`: the same, in a Chromium of its own whose microphone plays the `microphoneClip`
 * WAV (none: no microphone at all), started with `chromiumArgs` too; requests to `allowedHosts`
 * are expected.
 */
export const test = base.extend<{ watched: Page; microphoneClip: string; chromiumArgs: string[]; allowedHosts: string[]; listeningPage: Page }>({
  watched: async ({ page, baseURL }, use) => {
    const origin = new URL(baseURL ?? 'http://localhost/').origin;
    const problems = await watch(page, origin);
    await use(page);
    expect([...problems, ...(await policyReports(origin))]).toEqual([]);
  },
  microphoneClip: ['', { option: true }],
  chromiumArgs: [[], { option: true }],
  /** Hosts a setting of the test points the page at, such as a local API server. */
  allowedHosts: [[], { option: true }],
  listeningPage: async ({ microphoneClip, chromiumArgs, allowedHosts, baseURL }, use) => {
    const browser = await chromium.launch(microphoneClip ? withMicrophoneClip(microphoneClip, chromiumArgs) : chromiumLaunchOptions(chromiumArgs));
    try {
      const context = await browser.newContext({ serviceWorkers: 'block', ...(baseURL ? { baseURL } : {}) });
      const page = await context.newPage();
      const origin = new URL(baseURL ?? 'http://localhost/').origin;
      const problems = await watch(page, origin, allowedHosts);
      await use(page);
      expect([...problems, ...(await policyReports(origin))]).toEqual([]);
    } finally {
      await browser.close();
    }
  },
});

export { expect };

/** The offers to allow a host that a link or an import named (see src/settings/hostConsent.ts). */
export function hostOffers(page: Page) {
  return page.getByRole('region', { name: 'Hosts to allow' });
}

/** Allows every host the page asks about, as a user who trusts them would. */
export async function allowNamedHosts(page: Page): Promise<void> {
  // The offers render with the page (the link applies before its first render).
  await expect(page.getByRole('button', { name: 'Settings', exact: true })).toBeVisible();
  const use = hostOffers(page).getByRole('button', { name: /^Use / });
  while ((await use.count()) > 0) await use.first().click();
}

/** Opens a link of the page whose servers the user trusts: the hosts it names are allowed. */
export async function gotoAllowing(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await allowNamedHosts(page);
}

/** Opens the settings drawer, unless it is open. */
export async function openSettings(page: Page): Promise<void> {
  const drawer = page.getByRole('dialog', { name: 'Settings' });
  if (await drawer.isVisible()) return;
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(drawer).toBeVisible();
}

export async function closeSettings(page: Page): Promise<void> {
  const drawer = page.getByRole('dialog', { name: 'Settings' });
  if (!(await drawer.isVisible())) return;
  await drawer.getByRole('button', { name: 'Close' }).click();
  await expect(drawer).toBeHidden();
}

/** The form control of a setting, in the settings drawer (open it first). */
export function settingControl(page: Page, key: string) {
  return page.locator(`[data-setting="${key}"]`).locator('input, select, textarea').first();
}

/** Sets a setting as the user would: in the drawer, which is closed again after. */
export async function setSetting(page: Page, key: string, value: string): Promise<void> {
  await openSettings(page);
  const control = settingControl(page, key);
  if ((await control.evaluate((element) => element.tagName)) === 'SELECT') await control.selectOption(value);
  else await control.fill(value);
  await closeSettings(page);
}

/**
 * The local OpenAI-compatible test server for a spec file: started before its tests, closed after
 * them, its record of requests cleared before each test.
 */
export function useLlmServer(): Pick<LlmServer, 'baseUrl' | 'requests'> {
  let server: LlmServer | null = null;
  test.beforeAll(async () => {
    server = await startLlmServer();
  });
  test.afterAll(async () => {
    await server?.close();
  });
  test.beforeEach(() => {
    if (server) server.requests.length = 0;
  });
  const running = (): LlmServer => {
    if (!server) throw new Error('The test server is not running.');
    return server;
  };
  return {
    get baseUrl() {
      return running().baseUrl;
    },
    get requests() {
      return running().requests;
    },
  };
}

/** Keeps every microphone stream the page opens (in `window.streams`), so a test can count them or unplug one. */
export async function watchMicrophones(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const streams: MediaStream[] = [];
    (window as unknown as { streams: MediaStream[] }).streams = streams;
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      streams.push(stream);
      return stream;
    };
  });
}

/** Every microphone stream the page opened so far (`watchMicrophones` first). */
export const microphoneStreams = (page: Page) => page.evaluate(() => (window as unknown as { streams: MediaStream[] }).streams.length);

/** What the browser does when the first microphone opened is unplugged: its track ends. */
export async function unplugMicrophone(page: Page): Promise<void> {
  await page.evaluate(() => {
    const track = (window as unknown as { streams: MediaStream[] }).streams[0]?.getAudioTracks()[0];
    track?.stop();
    track?.dispatchEvent(new Event('ended'));
  });
}
