/** The stateful VpcPeer emulator: `startEmulator(options)` → `{ baseUrl, close() }`. */
export { startEmulator, createEmulator, ADMIN_PREFIX, ADMIN_TOKEN_HEADER, type EmulatorOptions, type RunningEmulator, type Emulator } from './server.ts';
export { resolveConfig, loadConfigFile, DEFAULT_ACCOUNTS, ConfigError, type EmulatorConfig, type Account } from './config.ts';
export { ACCOUNT_HEADER } from './auth.ts';
export { StateFileError } from './model/state-file.ts';
export { JournalWriteError, type JournalIo } from './model/journal.ts';
