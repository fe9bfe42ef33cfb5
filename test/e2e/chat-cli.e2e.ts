import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { seedDemo } from '../../src/bootstrap/seed-demo.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Built by `npm run build`, which the test script runs first.
const CHAT_CLI = join(import.meta.dirname, '../../dist/src/cli/chat.js');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t.app);
});
afterAll(() => t.close());

function runChat(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHAT_CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('npm run chat', () => {
  it('chats with the seeded demo business from a script, through the web chat API', async () => {
    const result = await runChat(['--url', t.url], 'hi\nmenu\nadd 1\ncart\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Welcome to *Mama Put's Kitchen*");
    expect(result.stdout).toContain('Jollof Rice');
    // One Jollof Rice at ₦2,500.
    expect(result.stdout).toContain('Total: ₦2,500.00');
    // Each line was answered before the next went out.
    let at = 0;
    for (const text of [
      'you: hi',
      'Welcome to',
      'you: menu',
      'Here is our menu',
      'you: add 1',
      'Added 1',
      'you: cart',
    ]) {
      at = result.stdout.indexOf(text, at);
      expect(at).toBeGreaterThanOrEqual(0);
    }
    expect(result.stdout.indexOf('Total: ₦2,500.00', at)).toBeGreaterThan(at);
  }, 60_000);

  it('fails with a message, not a stack, when the channel does not exist', async () => {
    const result = await runChat(['--url', t.url, '--channel', '00000000-0000-4000-8000-000000000000'], 'hi\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('404');
    expect(result.stderr).not.toContain('    at ');
  });
});
