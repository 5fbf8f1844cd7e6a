// The sub-commands of `dso`, one line each; modules are loaded lazily so `dso check` never loads the server.
// Each module exports `run(args: string[]): Promise<number>` (the exit code), and either answers `--help` itself
// (`selfHelp`) or exports its `usage` (or `help`) text for `dso <command> --help` to print without a login.
export type SubCommand = (args: string[]) => Promise<number>;
export type Text = { fr: string; en: string };
export interface CommandModule {
  run: SubCommand;
  usage?: Text;
  help?: Text;
}

export const commands: Record<string, () => Promise<CommandModule>> = {
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
  'restore-tests': () => import('./restore-tests.ts'),
  dossier: () => import('./dossier.ts'),
  deploy: () => import('./deploy.ts'),
  promote: () => import('./deploy.ts').then((m) => ({ run: m.runDeployment('promote'), usage: m.usage })),
  rollback: () => import('./deploy.ts').then((m) => ({ run: m.runDeployment('rollback'), usage: m.usage })),
  secrets: () => import('./secrets.ts'),
  runs: () => import('./runs.ts'),
  catalogue: () => import('./catalogue.ts'),
  services: () => import('./services.ts'),
};

/** Commands that print their own help for --help (offline options, flags of their own). */
export const selfHelp = new Set(['check', 'advisories', 'start', 'login', 'requirements', 'conformity', 'derogations', 'dossier']);

/** One line per command, shown by `dso --help` in the user's language. */
export const descriptions: Record<string, Text> = {
  check: { fr: 'vérifier un dépôt sur votre poste avec les règles de la plateforme', en: 'check a repository on your machine with the platform’s rules' },
  advisories: { fr: 'importer et consulter les avis de vulnérabilité (format OSV)', en: 'import and read vulnerability advisories (OSV format)' },
  start: { fr: 'démarrer la console, l’API et les workers (tout intégré)', en: 'start the console, API and workers (everything embedded)' },
  projects: { fr: 'lister et créer des projets', en: 'list and create projects' },
  envs: { fr: 'lister et créer les environnements d’un projet', en: 'list and create a project’s environments' },
  repos: { fr: 'dépôts d’un projet : lister, ajouter, modifier, pousser du code', en: 'a project’s repositories: list, add, edit, push code' },
  tokens: { fr: 'jetons d’accès personnels', en: 'personal access tokens' },
  login: { fr: 'se connecter à une console et enregistrer un jeton', en: 'log in to a console and save a token' },
  requirements: { fr: 'les exigences du référentiel CCT', en: 'the CCT framework’s requirements' },
  conformity: { fr: 'conformité d’un projet aux exigences', en: 'a project’s conformity to the requirements' },
  derogations: { fr: 'demander et consulter des dérogations', en: 'request and read derogations' },
  'restore-tests': { fr: 'enregistrer et consulter les tests de restauration (EX8)', en: 'record and read restore tests (EX8)' },
  dossier: { fr: 'dossier d’homologation (HTML, OSCAL)', en: 'homologation dossier (HTML, OSCAL)' },
  deploy: { fr: 'déployer une révision certifiée dans un environnement', en: 'deploy a certified revision to an environment' },
  promote: { fr: 'promouvoir la révision d’un environnement vers un autre', en: 'promote an environment’s revision to another' },
  rollback: { fr: 'revenir à la révision précédente d’un environnement', en: 'roll an environment back to its previous revision' },
  secrets: { fr: 'secrets d’un projet et rotation de la clé de chiffrement', en: 'a project’s secrets and encryption key rotation' },
  runs: { fr: 'exécutions de la chaîne secondaire : lancer, lister, suivre', en: 'secondary chain runs: start, list, follow' },
  catalogue: { fr: 'catalogue de composants : lister, consulter, importer, publier', en: 'component catalogue: list, show, import, publish' },
  services: { fr: 'services du catalogue d’un environnement : lister, ajouter, mettre à jour, supprimer', en: 'an environment’s catalogue services: list, add, upgrade, remove' },
};
