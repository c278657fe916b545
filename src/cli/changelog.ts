/**
 * `npm run changelog -- [<from> [<to>]] [options]`: the contract diff as Markdown (or another
 * format), for a release note or a pull-request comment; `-o` writes it without npm's banner.
 */
import { writeFile } from 'node:fs/promises';
import { findRepoRoot, loadComparison, WORKTREE } from '../review/contract-source.ts';
import { diffContracts } from '../review/diff.ts';
import { locateChange } from '../review/locate.ts';
import { FORMATS, renderDiff, type Format } from '../review/report.ts';
import { exitWith, parseCommandLine } from './command-line.ts';

const HELP = `Usage: vpcpeer-changelog [<from> [<to>]] [options]
Usage: npm run changelog -- [<from> [<to>]] [options]   (in the repository)

Writes the changes to the contract (spec/) between two git refs as Markdown, grouped by Action
and by kind (breaking, additive, compatible, documentation only).
<from> defaults to the base npm run diff uses (the merge base with main, origin/main or the
CI's base branch; exit 2 with what to fetch when there is none); <to> defaults to the working
tree (also spelled ${WORKTREE}).

Options:
  --format <format>     markdown (default), text, json or github
  -o, --output <file>   write to <file> instead of standard output (use this rather than
                        "> file": npm prints its own banner on standard output)
  -h, --help            show this help

Exit status: 0 when the changelog was written (breaking changes included), 2 on an error.`;

function fail(message: string): never {
  return exitWith('changelog', message);
}

const { values, positionals } = parseCommandLine(
  'changelog',
  HELP,
  {
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  true,
);
if (positionals.length > 2) fail(`expected at most two git refs (<from> <to>), got ${positionals.length}\n\n${HELP}`);
const format = (values.format ?? 'markdown') as Format;
if (!FORMATS.includes(format)) fail(`--format must be ${FORMATS.join(', ')}; got "${values.format}"`);

try {
  const repo = findRepoRoot();
  const { from, to } = await loadComparison(positionals[0], positionals[1] ?? WORKTREE, repo);
  const report = renderDiff(format, diffContracts(from.document, to.document), { from: from.label, to: to.label }, { locate: (c) => locateChange(c, repo) });
  if (values.output !== undefined) {
    await writeFile(values.output, report);
    process.stderr.write(`changelog: wrote ${values.output}\n`);
  } else {
    process.stdout.write(report);
  }
} catch (error) {
  fail((error as Error).message);
}
