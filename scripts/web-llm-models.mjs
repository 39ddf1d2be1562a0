// Writes src/settings/webLlmModels.json: web-llm's prebuilt model list (ids, GPU memory, features),
// so that the page can map model ids at import without loading web-llm. Run it after updating
// @mlc-ai/web-llm; src/settings/modelIds.test.ts fails while the two differ.
import { writeFileSync } from 'node:fs';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';

const models = prebuiltAppConfig.model_list.map(({ model_id, vram_required_MB, required_features }) => ({
  model_id,
  ...(vram_required_MB === undefined ? {} : { vram_required_MB: Math.round(vram_required_MB) }),
  ...(required_features?.length ? { required_features } : {}),
}));
writeFileSync(new URL('../src/settings/webLlmModels.json', import.meta.url), `${JSON.stringify(models, null, 0).replaceAll('},{', '},\n{')}\n`);
console.log(`${models.length} models`);
