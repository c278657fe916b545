/**
 * `npm run diff -- [<git-ref>] [options]`: what changed in the contract since <git-ref>, per
 * Action, classified for clients. Exits 1 on a breaking change unless --allow-breaking, 2 when
 * no comparison could be made (no base found, unknown ref).
 */
import { writeFile } from 'node:fs/promises';
import { findRepoRoot, loadComparison, WORKTREE } from '../review/contract-source.ts';
import { diffContracts, hasBreaking } from '../review/diff.ts';
import { locateChange } from '../review/locate.ts';
import { FORMATS, renderDiff, type Format } from '../review/report.ts';
import { exitWith, parseCommandLine } from './command-line.ts';

const HELP = `Usage: vpcpeer-diff [<git-ref>] [options]
Usage: npm run diff -- [<git-ref>] [options]   (in the repository)

Compares the contract (spec/) at <git-ref> with the working tree and prints, per Action, what
changed: breaking for clients, additive, compatible, or documentation only.
<git-ref> defaults to the merge base of HEAD with main, else with origin/main, else with the
pull request's base branch named by CI (GITHUB_BASE_REF, CI_MERGE_REQUEST_TARGET_BRANCH_NAME,
BITBUCKET_PR_DESTINATION_BRANCH, SYSTEM_PULLREQUEST_TARGETBRANCH, CHANGE_TARGET). When none
can be found (a shallow clone, a clone without the base branch) it exits 2 and says what to
fetch. Nothing in the working tree, the index or HEAD is changed.

Options:
  --to <git-ref>        compare with this ref instead of the working tree
  --format <format>     text (default), markdown, json, or github (workflow-command
                        annotations at the spec file and line of each change)
  --json                same as --format json
  -o, --output <file>   write the report to <file> instead of standard output
  --allow-breaking      exit 0 even when there are breaking changes
  --verbose             also list the documentation-only changes (text, github)
  -h, --help            show this help

Exit status: 0 no breaking change (or --allow-breaking), 1 breaking changes, 2 no comparison
made (no base, unknown ref) or a usage error.`;

function fail(message: string): never {
  return exitWith('diff', message);
}

const { values, positionals } = parseCommandLine(
  'diff',
  HELP,
  {
    to: { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    'allow-breaking': { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
  true,
);
if (positionals.length > 1) fail(`expected at most one git ref, got ${positionals.length}: ${positionals.join(' ')}\n\n${HELP}`);
if (values.json && values.format !== undefined && values.format !== 'json') fail('--json and --format exclude each other');
const format = (values.json ? 'json' : (values.format ?? 'text')) as Format;
if (!FORMATS.includes(format)) fail(`--format must be ${FORMATS.join(', ')}; got "${values.format}"`);

let breaking = false;
try {
  const repo = findRepoRoot();
  const { from, to } = await loadComparison(positionals[0], values.to ?? WORKTREE, repo);
  const diff = diffContracts(from.document, to.document);
  breaking = hasBreaking(diff);
  let report = renderDiff(format, diff, { from: from.label, to: to.label }, { verbose: values.verbose === true, locate: (c) => locateChange(c, repo) });
  if (format === 'text' && breaking) {
    report += values['allow-breaking']
      ? 'Breaking changes allowed by --allow-breaking.\n'
      : 'Breaking changes found: exit status 1 (pass --allow-breaking if they are intended).\n';
  }
  if (values.output !== undefined) {
    await writeFile(values.output, report);
    process.stderr.write(`diff: wrote ${values.output} (${diff.changes.length} changes, ${diff.counts.breaking} breaking)\n`);
  } else {
    process.stdout.write(report);
  }
} catch (error) {
  fail((error as Error).message);
}
process.exit(breaking && !values['allow-breaking'] ? 1 : 0);
