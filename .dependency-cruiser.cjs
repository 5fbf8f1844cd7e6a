// Layer rules of DSO π, checked by `npm run lint:deps` (dependency-cruiser). The core (domain, catalogue, checks)
// is pure. Homologation, the workers (chain, reconcile, deploy), the integrations, the database and the
// application context (src/system) sit below the HTTP layer (src/api) and the CLI (src/cli): those import them,
// never the reverse. Tests are exempt: they assemble the whole system.
const tests = '\\.test\\.ts$|^test/|^bench/';
const belowApi = '^src/(domain|catalogue|component-catalogue|checks|chain|deploy|reconcile|integrations|homologation|db|audit|system|config)/|^src/[^/]+\\.ts$';
const pureCore = '^src/(domain|catalogue|checks)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-http-or-cli-below',
      comment: 'Lower layers never import the HTTP layer (src/api) or the CLI (src/cli): they take what they need as values or types from src/system and src/errors.ts.',
      severity: 'error',
      from: { path: belowApi, pathNot: tests },
      to: { path: '^src/(api|cli)/' },
    },
    {
      name: 'api-not-cli',
      comment: 'The server never imports the CLI.',
      severity: 'error',
      from: { path: '^src/api/', pathNot: tests },
      to: { path: '^src/cli/' },
    },
    {
      name: 'pure-core',
      comment: 'Checks, the gate, conformity and the domain are pure: no database, worker, integration or server import.',
      severity: 'error',
      from: { path: pureCore, pathNot: tests },
      // Exception: the Kubernetes checker renders Helm charts and Kustomize overlays through the renderers'
      // interface (src/integrations/renderers), the same on a laptop and in the chain.
      to: {
        path: '^src/(db|chain|reconcile|deploy|integrations|audit|system)/|^(fastify|pg|pg-boss|@electric-sql/pglite)$',
        pathNot: '^src/integrations/renderers/',
      },
    },
    {
      name: 'no-value-cycles',
      comment: 'Modules that import each other at run time load in an order that depends on who came first.',
      severity: 'error',
      from: { pathNot: tests },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'type-import', 'dynamic-import'] } },
    },
    {
      name: 'web-uses-the-contract-only',
      comment: 'The console reaches the server through the API; from src/ it may import only the contract (schemas) and domain constants.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/(api/schemas|domain)/' },
    },
    {
      name: 'not-to-tests',
      comment: 'Product code never imports test code or fixtures.',
      severity: 'error',
      from: { path: '^(src|web/src)/', pathNot: tests },
      to: { path: '\\.test\\.ts$|^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|web/dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.vue'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
