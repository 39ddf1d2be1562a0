import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { allowNamedHosts, expect, gotoAllowing, openSettings, settingControl, test, useLlmServer } from './fixtures';
import { afterSilence, shared } from './clips';
import { TEST_TTS } from './paths';

/**
 * Conversations kept in the browser: a reload keeps the one on screen, the model gets it back as
 * its history, and the Conversations drawer continues or deletes kept ones (in IndexedDB itself).
 */
const server = useLlmServer();

function api(extra = ''): string {
  return `/?llm_backend=chat-completions&model_name=test-model&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&models_base_url=/models/&${TEST_TTS}${extra}`;
}

async function ask(page: Page, text: string): Promise<void> {
  const before = await page.locator('.exchange').count();
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.locator('.exchange').nth(before)).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
}

/** The last chat request's messages, as role: text. */
function lastRequest(): string[] {
  const body = server.requests.filter((request) => request.path.endsWith('/chat/completions')).at(-1)?.body as { messages?: { role: string; content: string }[] } | undefined;
  return (body?.messages ?? []).map((message) => `${message.role}: ${message.content}`);
}

/** The titles kept in IndexedDB, read with the browser's own API. */
function keptTitles(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('speech-to-speech-conversations');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const all = open.result.transaction('conversations').objectStore('conversations').getAll();
          all.onsuccess = () => {
            resolve((all.result as { title: string }[]).map((conversation) => conversation.title).sort());
            open.result.close();
          };
        };
      }),
  );
}

const drawer = (page: Page) => page.getByRole('dialog', { name: 'Conversations' });
const kept = (page: Page) => drawer(page).getByRole('list', { name: 'Kept conversations' }).getByRole('listitem');

test.describe('conversations kept in the browser', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  test('a reload keeps the conversation, and continuing it sends the earlier turns to the model', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api());
    await ask(page, 'How many moons has Mars?');
    const reply = await page.locator('.exchange .reply-text').first().innerText();
    await expect.poll(() => keptTitles(page)).toEqual(['How many moons has Mars?']);

    await page.reload();
    await allowNamedHosts(page);
    await expect(page.locator('.exchange')).toHaveCount(1);
    await expect(page.locator('.exchange-user')).toHaveText('How many moons has Mars?');
    await expect(page.locator('.exchange .reply-text strong')).toHaveText('two');
    expect(await page.locator('.exchange .reply-text').innerText()).toBe(reply);

    await ask(page, 'And Jupiter?');
    const request = lastRequest();
    expect(request[0]).toMatch(/^system: /);
    expect(request.slice(1, 2)).toEqual(['user: How many moons has Mars?']);
    expect(request[2]).toMatch(/^assistant: You said: How many moons has Mars\. Dr\. Smith paid/);
    expect(request.at(-1)).toBe('user: And Jupiter?');
    // Still one kept conversation, now of two exchanges.
    await expect.poll(() => keptTitles(page)).toEqual(['How many moons has Mars?']);
  });

  test('the list: continue one, delete one and then all from IndexedDB; replies and list pass an accessibility scan', async ({ listeningPage: page }, testInfo) => {
    await gotoAllowing(page, api());
    await ask(page, 'Tell me about the Moon [code]');
    await page.getByRole('button', { name: 'New conversation' }).click();
    await ask(page, 'Tell me about the Sun');
    await expect.poll(() => keptTitles(page)).toEqual(['Tell me about the Moon [code]', 'Tell me about the Sun']);

    const replies = await new AxeBuilder({ page }).include('.conversation').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(replies.violations.map((violation) => violation.id)).toEqual([]);

    await page.getByRole('button', { name: 'Conversations' }).click();
    await expect(kept(page)).toHaveCount(2);
    await expect(kept(page).first()).toContainText('Tell me about the Sun');
    await expect(kept(page).first()).toHaveAttribute('aria-current', 'true');
    await expect(kept(page).nth(1)).toContainText('1 exchange');
    const list = await new AxeBuilder({ page }).include('.conversations-drawer').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(list.violations.map((violation) => violation.id)).toEqual([]);
    await testInfo.attach('conversations drawer', { body: await page.screenshot(), contentType: 'image/png' });

    await drawer(page).getByRole('button', { name: 'Continue “Tell me about the Moon [code]”' }).click();
    await expect(drawer(page)).toBeHidden();
    await expect(page.locator('.exchange-user')).toHaveText(['Tell me about the Moon [code]']);
    await expect(page.locator('.exchange .reply-text pre code')).toHaveText('const moons = 2;\n');
    await ask(page, 'And its craters?');
    expect(lastRequest().slice(1, 2)).toEqual(['user: Tell me about the Moon [code]']);
    expect(lastRequest().join('\n')).not.toContain('Tell me about the Sun');

    await page.getByRole('button', { name: 'Conversations' }).click();
    await drawer(page).getByRole('button', { name: 'Delete “Tell me about the Sun”' }).click();
    await expect(drawer(page).getByRole('status')).toHaveText('Deleted “Tell me about the Sun”.');
    await expect(kept(page)).toHaveCount(1);
    expect(await keptTitles(page)).toEqual(['Tell me about the Moon [code]']);

    await drawer(page).getByRole('button', { name: 'Delete all…' }).click();
    await drawer(page).getByRole('button', { name: 'Yes, delete all' }).click();
    await expect(drawer(page).getByText('No conversation is kept yet.')).toBeVisible();
    expect(await keptTitles(page)).toEqual([]);
    // The conversation on screen was one of them: it leaves the screen too.
    await drawer(page).getByRole('button', { name: 'Close' }).click();
    await expect(page.locator('.exchange')).toHaveCount(0);
    await page.reload();
    await allowNamedHosts(page);
    await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeVisible();
    await expect(page.locator('.exchange')).toHaveCount(0);
  });

  test('with keep_conversations off nothing is kept, and a reload starts empty', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('&no_keep_conversations'));
    await openSettings(page);
    await expect(settingControl(page, 'keep_conversations')).not.toBeChecked();
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();
    await ask(page, 'Something private');
    await page.reload();
    await allowNamedHosts(page);
    await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeVisible();
    await expect(page.locator('.exchange')).toHaveCount(0);
    expect(await keptTitles(page)).toEqual([]);
  });

  test.describe('a spoken turn', () => {
    test.use({ microphoneClip: afterSilence(shared('moon'), 3).path });

    test('is kept like a typed one: after a reload it is shown and the model gets it back', async ({ listeningPage: page }) => {
      test.setTimeout(120_000);
      await gotoAllowing(page, api('&stt_model_name=onnx-community/whisper-tiny.en&no_smart_turn&no_echo_cancellation&no_noise_suppression&no_auto_gain_control'));
      await page.getByRole('button', { name: 'Start listening' }).click();
      const spoken = page.locator('.exchange').first();
      await expect(spoken).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
      const words = (await spoken.locator('.exchange-user').innerText()).trim();
      expect(words.toLowerCase()).toContain('moon');
      await page.getByRole('button', { name: 'Stop listening' }).click();
      await expect.poll(() => keptTitles(page)).toEqual([words]);

      await page.reload();
      await allowNamedHosts(page);
      await expect(page.locator('.exchange-user').first()).toHaveText(words);
      await ask(page, 'Say it again');
      expect(lastRequest()).toContain(`user: ${words}`);
    });
  });
});
