// One line per sub-command; modules are loaded lazily so `dso check` never loads the server.
import { registerCommand } from './main.ts';

registerCommand('check', () => import('./check.ts'));
void registerCommand;
registerCommand('advisories', () => import('./advisories.ts'));
registerCommand('start', () => import('./start.ts'));
registerCommand('projects', () => import('./projects.ts'));
registerCommand('envs', () => import('./envs.ts'));
registerCommand('repos', () => import('./repos.ts'));
registerCommand('tokens', () => import('./tokens.ts'));
registerCommand('login', () => import('./login.ts'));
registerCommand('requirements', () => import('./requirements.ts'));
registerCommand('conformity', () => import('./conformity.ts'));
registerCommand('derogations', () => import('./derogations.ts'));
registerCommand('dossier', () => import('./dossier.ts'));
registerCommand('deploy', () => import('./deploy.ts'));
registerCommand('promote', () => import('./deploy.ts').then((m) => ({ run: m.runDeployment('promote') })));
registerCommand('rollback', () => import('./deploy.ts').then((m) => ({ run: m.runDeployment('rollback') })));
registerCommand('secrets', () => import('./secrets.ts'));
registerCommand('runs', () => import('./runs.ts'));
