// A GitOps writer as one console replica runs it, in its own process with its own data folder: it commits
// `count` changes (one file each, under writers/<name>/) to the external GitOps repository at `url`.
// Usage: node --import tsx test/support/gitops-writer.ts <local repository> <url> <name> <count>
import { commitToRemote, GitopsContendedError } from '../../src/integrations/gitops/push.ts';
import { applyChanges } from '../../src/integrations/gitops/writer.ts';

const [repository, url, name, count] = process.argv.slice(2) as [string, string, string, string];
const commit = (i: number) =>
  commitToRemote(repository, { url, token: 'writer-token' }, () =>
    applyChanges(repository, { upsert: [{ path: `writers/${name}/${i}`, files: new Map([['change.yaml', `writer: ${name}\nchange: ${i}\n`]]) }] }),
  );
for (let i = 0; i < Number(count); i++) {
  // A race that outlived the writer's own retries is run again, as the reconcile queue does.
  let result;
  for (;;) {
    try {
      result = await commit(i);
      break;
    } catch (error) {
      if (!(error instanceof GitopsContendedError)) throw error;
    }
  }
  if (!result.ok) {
    console.error(JSON.stringify(result.error));
    process.exit(1);
  }
}
