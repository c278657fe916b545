/**
 * What every command line of the kit shares: `node:util` parseArgs in strict mode, `-h/--help`,
 * and one way to fail (a message on stderr naming the tool, exit code 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

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
