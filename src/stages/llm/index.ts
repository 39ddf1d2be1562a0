/** The language model stage, as the rest of the app sees it. */
export { audioContentPart, audioInputProblem } from './audioInput';
export { DEFAULT_API_MODEL } from './chatCompletionsBackend';
export { Conversation } from './conversation';
export { LanguageModelLoadError, LlmRequestError } from './errors';
export { LANGUAGE_MODEL_SETTINGS, type LanguageModelBackend, type LanguageModelLoader, type LanguageModelProgress, type LanguageModelSettings } from './languageModelBackend';
export { BACKEND_LABELS, LanguageModels, type LanguageModelStatus } from './languageModels';
export { messageText, type Message } from './message';
export { FALLBACK_SENTENCE, ReplyGenerator, SUPERSEDED, type ToolRunner } from './replyGenerator';
export { type ReplyPart, type Tool, type ToolCall, type ToolSpec } from './tools';
export { DEFAULT_TRANSFORMERS_MODEL } from './transformersBackend';
export { DEFAULT_WEB_LLM_MODEL, needsShaderF16, type WebLlmModelRecord } from './webLlmModel';
export { MCP_CONNECT_TIMEOUT_MS, connectMcpServers, type McpTools } from './mcpServers';
