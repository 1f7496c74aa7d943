/**
 * `cec-web-chat/server`: Node-only code for integrators — the channel signature helper and the
 * connector that puts the widget in front of a real CEC (README, "Going live with a real CEC").
 */
export { signChannelToken, createTokenEndpoint, MAX_TTL_SECONDS } from './sign.js';
export type { SignOptions, TokenRequest, TokenEndpointOptions, TokenEndpointResponse } from './sign.js';
export { createConnector, API_PATH } from './connector/connector.js';
export type { ConnectorHandler, ConnectorOptions } from './connector/connector.js';
export { parseConfig, ConfigError, ConfigSchema } from './connector/config.js';
export type { ConnectorConfig, ConnectorConfigInput, ChannelSettings } from './connector/config.js';
export type { ConnectorStore, IdempotencyClaim, IdempotencyRecord, NewLogMessage, Versioned } from './connector/store.js';
export { MemoryStore } from './connector/memory-store.js';
export { RedisStore, StoreUnavailableError } from './connector/redis-store.js';
export type { RedisStoreOptions } from './connector/redis-store.js';
export { serveFetch } from './connector/serve.js';
