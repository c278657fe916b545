/**
 * `npm run drift -- <api-docs.json> [options]`: the contract (spec/) against Alibaba's OpenAPI
 * metadata for VpcPeer 2022-01-01, per Action; exit 1 on a difference the allow-list does not
 * explain.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleSpec } from '../contract/bundle.ts';
import { indexContract } from '../contract/model.ts';
import { findRepoRoot } from '../review/contract-source.ts';
import { applyAllowList, driftOf, readAllowList, readApiDocs } from '../review/drift.ts';
import { renderDrift } from '../review/drift-report.ts';
import { locateChange } from '../review/locate.ts';
import { FORMATS, type Format } from '../review/report.ts';
import { exitWith, parseCommandLine } from './command-line.ts';

const HELP = `Usage: vpcpeer-drift <api-docs.json> [options]
       npm run drift -- <api-docs.json> [options]   (in the repository)

Compares the contract (spec/) with Alibaba's OpenAPI metadata for the product (the api-docs
JSON: "apis" with "parameters" and "errorCodes") and reports, per Action, every difference:
operations, parameters (placement, wire style, type, required, the limits upstream states),
error codes and their HTTP statuses. Codes every Action documents (gateway and signature
codes) are compared only when upstream lists them. Differences listed in the allow-list, each
with its reason, are reported as explained.

Options:
  --allow <file>        the allow-list (default spec/drift-allowlist.json)
  --spec <file>         root of the contract (default spec/openapi.yaml)
  --format <format>     text (default), markdown, json or github
  -o, --output <file>   write the report to <file> instead of standard output
  --verbose             also list the explained differences (text)
  -h, --help            show this help

Exit status: 0 every difference explained, 1 unexplained differences, 2 unreadable input.`;

function fail(message: string): never {
  return exitWith('drift', message);
}

const { values, positionals } = parseCommandLine(
  'drift',
  HELP,
  {
    allow: { type: 'string' },
    spec: { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    verbose: { type: 'boolean' },
  },
  true,
);
if (positionals.length !== 1) fail(`expected one metadata file (api-docs.json), got ${positionals.length}\n\n${HELP}`);
const format = (values.format ?? 'text') as Format;
if (!FORMATS.includes(format)) fail(`--format must be ${FORMATS.join(', ')}; got "${values.format}"`);

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`${what} ${file} is not JSON: ${(error as Error).message}`);
  }
}

let unexplained = 0;
try {
  const repo = (() => {
    try {
      return findRepoRoot();
    } catch {
      return process.cwd();
    }
  })();
  const metadataFile = positionals[0] ?? '';
  const upstream = readApiDocs(readJson(metadataFile, 'metadata'));
  const contract = indexContract(await bundleSpec(path.resolve(values.spec ?? path.join(repo, 'spec', 'openapi.yaml'))));
  if (upstream.version !== undefined && upstream.version !== contract.version) {
    fail(`${metadataFile} describes version ${upstream.version}; the contract is version ${contract.version}`);
  }
  const allowFile = values.allow ?? path.join(repo, 'spec', 'drift-allowlist.json');
  const allow = readAllowList(readJson(allowFile, 'allow-list'), path.relative(process.cwd(), allowFile) || allowFile);
  const report = applyAllowList(driftOf(contract, upstream), allow);
  unexplained = report.unexplained;
  const info = contract.document.info as { title?: string } | undefined;
  const product = upstream.product ?? /\(([^)]+)\)/.exec(info?.title ?? '')?.[1] ?? 'the';
  const text = renderDrift(format, report, { metadata: metadataFile, contract: `${product} ${contract.version}` }, {
    verbose: values.verbose === true,
    locate: (d) => locateChange(d, repo),
  });
  if (values.output !== undefined) {
    await writeFile(values.output, text);
    process.stderr.write(`drift: wrote ${values.output} (${report.drifts.length} differences, ${unexplained} unexplained)\n`);
  } else {
    process.stdout.write(text);
  }
} catch (error) {
  fail((error as Error).message);
}
process.exit(unexplained > 0 ? 1 : 0);
