// The reference repository's forge, in its own process as a real forge would be: `git http-backend` behind a
// small HTTP server. Started by bench/chain.ts, which reads the clone URL from the first line printed and stops
// it with SIGTERM. Argument: a JSON file { path: content } of the first commit.
import { readFileSync } from 'node:fs';
import { startExternalRepository } from '../../test/support/chain.ts';

const files = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, string>;
const forge = await startExternalRepository(files);
process.stdout.write(`${forge.url}\n`);
process.on('SIGTERM', () => void forge.stop().then(() => process.exit(0)));
// bench/scale.ts asks for new revisions: one JSON line { path: content } on stdin → the new commit's id on stdout.
let pending = '';
process.stdin.on('data', (chunk: Buffer) => {
  pending += chunk.toString();
  let newline: number;
  while ((newline = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, newline);
    pending = pending.slice(newline + 1);
    if (line.trim()) process.stdout.write(`${forge.commit(JSON.parse(line) as Record<string, string>)}\n`);
  }
});
process.stdin.on('error', () => {});
