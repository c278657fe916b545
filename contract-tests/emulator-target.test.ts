/**
 * The contract suite with the stateful emulator as its target: `npm run conformance --
 * --emulator` starts a fresh emulator and runs every Action (strict DryRun: a DryRun call must
 * answer DryRunOperation) plus the whole signed, cross-account lifecycle against it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the contract suite against the emulator', () => {
  it('passes every Action and every lifecycle step', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/conformance.ts', '--emulator'], { cwd: root, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toContain('lifecycle OPTED IN');
    expect(output).toMatch(/11 passed, 0 failed, 0 skipped because unsafe/);
    expect(output).toMatch(/Tests\s+20 passed \(20\)/);
  }, 120_000);
});
