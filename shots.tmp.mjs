import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] });
for (const scheme of ['light', 'dark']) for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  const page = await browser.newPage({ viewport, colorScheme: scheme });
  await page.goto('http://localhost:4173/?models_base_url=/models/&stt_model_name=onnx-community/whisper-tiny.en&model_name=test/tiny-random-smollm2&llm_torch_dtype=fp32&kokoro_model_name=test/tiny-random-kokoro&kokoro_voice=af_heart');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/ui-${name}-${scheme}-idle.png` });
}
await browser.close();
