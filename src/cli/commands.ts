// The sub-commands of `dso`, one line each; modules are loaded lazily so `dso check` never loads the server.
// Each module exports `run(args: string[]): Promise<number>` (the exit code).
export type SubCommand = (args: string[]) => Promise<number>;

export const commands: Record<string, () => Promise<{ run: SubCommand }>> = {
  check: () => import('./check.ts'),
  advisories: () => import('./advisories.ts'),
  start: () => import('./start.ts'),
  projects: () => import('./projects.ts'),
  envs: () => import('./envs.ts'),
  repos: () => import('./repos.ts'),
  tokens: () => import('./tokens.ts'),
  login: () => import('./login.ts'),
  requirements: () => import('./requirements.ts'),
  conformity: () => import('./conformity.ts'),
  derogations: () => import('./derogations.ts'),
  dossier: () => import('./dossier.ts'),
  deploy: () => import('./deploy.ts'),
  promote: () => import('./deploy.ts').then((m) => ({ run: m.runDeployment('promote') })),
  rollback: () => import('./deploy.ts').then((m) => ({ run: m.runDeployment('rollback') })),
  secrets: () => import('./secrets.ts'),
  runs: () => import('./runs.ts'),
};
