/** The stateful VpcPeer emulator: `startEmulator(options)` → `{ baseUrl, close() }`. */
export { startEmulator, createEmulator, ADMIN_PREFIX, type EmulatorOptions, type RunningEmulator, type Emulator } from './server.ts';
export { resolveConfig, loadConfigFile, DEFAULT_ACCOUNTS, ConfigError, type EmulatorConfig, type Account } from './config.ts';
export { ACCOUNT_HEADER } from './auth.ts';
export { StateFileError } from './store.ts';
