/**
 * `npm run changelog -- [<from> [<to>]] [--output <file>]`: the contract diff as Markdown, for a
 * release note or a review comment.
 */
import { writeFile } from 'node:fs/promises';
import { findRepoRoot, loadComparison, WORKTREE } from '../review/contract-source.ts';
import { diffContracts } from '../review/diff.ts';
import { formatMarkdown } from '../review/report.ts';
import { exitWith, parseCommandLine } from './command-line.ts';

const HELP = `Usage: vpcpeer-changelog [<from> [<to>]] [options]
Usage: npm run changelog -- [<from> [<to>]] [options]   (in the repository)

Writes the changes to the contract (spec/) between two git refs as Markdown, grouped by Action
and by kind (breaking, additive, compatible, documentation only).
<from> defaults to the merge base of HEAD and main (HEAD itself when that fails); <to> defaults
to the working tree (also spelled ${WORKTREE}).

Options:
  -o, --output <file>   write the Markdown to <file> instead of standard output
  -h, --help            show this help

Exit status: 0 when the Markdown was written (breaking changes included), 2 on an error.`;

function fail(message: string): never {
  return exitWith('changelog', message);
}

const { values, positionals } = parseCommandLine(
  'changelog',
  HELP,
  {
    output: { type: 'string', short: 'o' },
  },
  true,
);
if (positionals.length > 2) fail(`expected at most two git refs (<from> <to>), got ${positionals.length}\n\n${HELP}`);

try {
  const { from, to } = await loadComparison(positionals[0], positionals[1] ?? WORKTREE, findRepoRoot());
  const markdown = formatMarkdown(diffContracts(from.document, to.document), { from: from.label, to: to.label });
  if (values.output !== undefined) {
    await writeFile(values.output, markdown);
    process.stderr.write(`changelog: wrote ${values.output}\n`);
  } else {
    process.stdout.write(markdown);
  }
} catch (error) {
  fail((error as Error).message);
}
