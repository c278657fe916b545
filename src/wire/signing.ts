/**
 * Former home of request signing, kept while src/emulator and older imports migrate: every
 * export now comes from the pieces in src/wire/signing/ (import `./signing/index.ts`).
 */
export * from './signing/index.ts';
