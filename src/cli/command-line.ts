/**
 * What every command line of the kit shares: `node:util` parseArgs in strict mode, `-h/--help`,
 * one way to fail (a message on stderr naming the tool, exit code 2), the common server options,
 * and listening with a clean stop on SIGINT/SIGTERM.
 */
import { watch } from 'node:fs';
import type { Server } from 'node:http';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LOG_LEVELS, type LogLevel } from '../server/http.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function exitWith(tool: string, message: string, code = 2): never {
  process.stderr.write(`${tool}: ${message}\n`);
  process.exit(code);
}

/** Parses argv; prints `help` and exits 0 on --help, exits 2 with the reason on a bad flag. */
export function parseCommandLine<const O extends Options>(tool: string, help: string, options: O, allowPositionals = false) {
  const config = {
    options: { ...options, help: { type: 'boolean', short: 'h' } } as O & { help: { type: 'boolean'; short: 'h' } },
    allowPositionals,
    strict: true,
  } as const;
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    return exitWith(tool, `${(error as Error).message}\n\n${help}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${help}\n`);
    process.exit(0);
  }
  return parsed;
}

/** A port from a flag or the environment: a whole number from 0 (any free port) to 65535. */
export function portOption(tool: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) exitWith(tool, `--port must be a number from 0 to 65535, got "${text}"`);
  return port;
}


export function logLevelOption(tool: string, text: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(text)) exitWith(tool, `--log-level must be silent, error, info or debug, got "${text}"`);
  return text as LogLevel;
}

export interface ServeOptions {
  tool: string;
  host: string;
  port: number;
  /** The environment variable that also sets the port, named in the "port in use" message. */
  portVariable: string;
  /** Called once listening, with the actual port (useful with port 0). */
  onListening(port: number): void;
  /** Called once on SIGINT/SIGTERM before the server closes (e.g. to save state). */
  beforeStop?(): void;
}

/**
 * Listens with clear messages for the usual failures (port in use, no permission) and stops
 * cleanly on SIGINT/SIGTERM: idle connections close at once, busy ones get 2 seconds.
 */
export function serve(server: Server, options: ServeOptions): void {
  const { tool, host, port } = options;
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      exitWith(tool, `port ${port} on ${host} is already in use. Stop the other process or pass --port <n> (or set ${options.portVariable}).`);
    }
    if (error.code === 'EACCES') exitWith(tool, `not allowed to listen on ${host}:${port}. Pick a port above 1023.`);
    exitWith(tool, `cannot listen on ${host}:${port}: ${error.message}`);
  });
  server.listen(port, host, () => {
    const address = server.address();
    options.onListening(typeof address === 'object' && address ? address.port : port);
  });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      options.beforeStop?.();
      server.close(() => process.exit(0));
      server.closeIdleConnections();
      setTimeout(() => {
        server.closeAllConnections();
        process.exit(0);
      }, 2000).unref();
    });
  }
}

export interface WatchOptions<T> {
  tool: string;
  /** Files or folders (watched recursively) whose change means a reload. */
  paths: string[];
  /** Loads the new state; a throw keeps the old one and is logged. */
  load(): Promise<T>;
  /** Takes the new state over (e.g. swaps a server's request handler; the port stays open). */
  apply(value: T): void;
  log(line: string): void;
}

/** `--watch`: reloads on change (debounced, one reload at a time), logging each reload or its failure. */
export function watchForChanges<T>(options: WatchOptions<T>): void {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  const reload = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const started = performance.now();
    try {
      options.apply(await options.load());
      options.log(`${options.tool}: reloaded the contract after a change in ${options.paths.join(', ')} (${Math.round(performance.now() - started)} ms); still listening`);
    } catch (error) {
      options.log(`${options.tool}: the changed contract cannot be served, keeping the previous one: ${(error as Error).message}`);
    } finally {
      running = false;
      if (again) {
        again = false;
        void reload();
      }
    }
  };
  options.log(`${options.tool}: watching ${options.paths.join(', ')} for changes`);
  for (const target of options.paths) {
    watch(target, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), 150);
    }).unref();
  }
}
