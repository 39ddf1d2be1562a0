import { expect, gotoAllowing, test, useLlmServer } from './fixtures';
import { TEST_TTS } from './paths';

/** Tools: the page's own, offered with `builtin_tools`, each call shown in its exchange with what went back to the model. */
const server = useLlmServer();
const api = (extra = '') => `/?llm_backend=chat-completions&model_name=test-model&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&models_base_url=/models/&${TEST_TTS}${extra}`;

test.describe('built-in tools', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  test('the current time: offered, run without asking (it only reads), shown, and the answer uses it', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('&builtin_tools'));
    await page.getByRole('textbox', { name: 'Message' }).fill('What time is it? [tool get_current_time]');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const exchange = page.locator('.exchange').first();
    await expect(exchange).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(exchange.getByRole('list', { name: 'Tools used' }).getByRole('listitem')).toContainText('Used get_current_time');
    await expect(exchange.locator('.reply-text p')).toHaveText(['Let me check.', /^The tool said: \{"local":".+","time_zone":".+","iso":"\d{4}-.+"\}\.$/]);
    await expect(page.locator('.tool-request')).toHaveCount(0);
    const offered = server.requests.filter((request) => request.path.endsWith('/chat/completions')).map((request) => (request.body.tools as { function: { name: string } }[] | undefined)?.map((tool) => tool.function.name));
    expect(offered).toEqual([['get_current_time'], ['get_current_time']]);
  });

  test('off (the default): the model is offered no tools', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api());
    await page.getByRole('textbox', { name: 'Message' }).fill('What time is it? [tool get_current_time]');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    expect(server.requests.filter((request) => request.path.endsWith('/chat/completions')).every((request) => request.body.tools === undefined)).toBe(true);
    await expect(page.locator('.tool-calls')).toHaveCount(0);
  });
});
