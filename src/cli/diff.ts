/**
 * `npm run diff -- [<git-ref>] [options]`: what changed in the contract since <git-ref>, per
 * Action, classified for clients. Exits 1 on a breaking change unless --allow-breaking.
 */
import { findRepoRoot, loadComparison, WORKTREE } from '../review/contract-source.ts';
import { diffContracts, hasBreaking } from '../review/diff.ts';
import { formatText } from '../review/report.ts';
import { exitWith, parseCommandLine } from './command-line.ts';

const HELP = `Usage: vpcpeer-diff [<git-ref>] [options]
Usage: npm run diff -- [<git-ref>] [options]   (in the repository)

Compares the contract (spec/) at <git-ref> with the working tree and prints, per Action, what
changed: breaking for clients, additive, compatible, or documentation only.
<git-ref> defaults to the merge base of HEAD and main (HEAD itself when that fails).
Nothing in the working tree, the index or HEAD is changed.

Options:
  --to <git-ref>     compare with this ref instead of the working tree
  --allow-breaking   exit 0 even when there are breaking changes
  --verbose          also list the documentation-only changes
  --json             print the changes as JSON instead of text
  -h, --help         show this help

Exit status: 0 no breaking change (or --allow-breaking), 1 breaking changes, 2 usage or other error.`;

function fail(message: string): never {
  return exitWith('diff', message);
}

const { values, positionals } = parseCommandLine(
  'diff',
  HELP,
  {
    to: { type: 'string' },
    'allow-breaking': { type: 'boolean' },
    verbose: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  true,
);
if (positionals.length > 1) fail(`expected at most one git ref, got ${positionals.length}: ${positionals.join(' ')}\n\n${HELP}`);

let breaking = false;
try {
  const { from, to } = await loadComparison(positionals[0], values.to ?? WORKTREE, findRepoRoot());
  const diff = diffContracts(from.document, to.document);
  breaking = hasBreaking(diff);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ from: from.label, to: to.label, counts: diff.counts, changes: diff.changes }, null, 2)}\n`);
  } else {
    process.stdout.write(formatText(diff, { from: from.label, to: to.label }, { verbose: values.verbose === true }));
    if (breaking) {
      process.stdout.write(
        values['allow-breaking']
          ? 'Breaking changes allowed by --allow-breaking.\n'
          : 'Breaking changes found: exit status 1 (pass --allow-breaking if they are intended).\n',
      );
    }
  }
} catch (error) {
  fail((error as Error).message);
}
process.exit(breaking && !values['allow-breaking'] ? 1 : 0);
