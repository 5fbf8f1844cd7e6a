import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allConfigurationRules } from './rules.ts';
import { scanConfiguration } from './scan.ts';
import { configurationInScope } from './scope.ts';

const fixtures = join(import.meta.dirname, '../__fixtures__/configuration');
const positives = readdirSync(join(fixtures, 'positive'));
const negatives = readdirSync(join(fixtures, 'negative'));
const read = (kind: string, file: string) => readFileSync(join(fixtures, kind, file), 'utf8');
const ruleOf = (file: string) => `configuration.${file.replace(/\.[^.]+$/, '')}`;

describe('configuration scan (EX47)', () => {
  it('has a positive fixture for every configuration rule', () => {
    expect(new Set(positives.map(ruleOf))).toEqual(new Set(allConfigurationRules.map((r) => r.id)));
  });

  it.each(positives)('finds the hard-coded value in %s', (file) => {
    const findings = scanConfiguration(`src/${file}`, read('positive', file));
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.ruleId).toBe(ruleOf(file));
      expect(['low', 'medium']).toContain(f.severity);
      expect(f.requirements).toEqual(['EX47']);
      expect(f.location.line).toBeGreaterThan(0);
    }
  });

  it.each(negatives)('reports nothing in %s (environment lookups, well-known addresses, public sites)', (file) => {
    expect(scanConfiguration(`src/${file}`, read('negative', file))).toEqual([]);
  });

  it('reads application code and configuration, not tests, docs, lockfiles or tooling', () => {
    for (const path of ['src/app.ts', 'config/application.yaml', 'deploy/values.yml', '.env.production', 'src/main/resources/application.properties']) {
      expect(configurationInScope(path), path).toBe(true);
    }
    for (const path of ['src/app.test.ts', 'test/e2e/login.ts', 'tests/test_api.py', 'docs/setup.md', 'README.md', 'package-lock.json', 'web/vite.config.ts', 'src/__fixtures__/x.ts', 'image.png']) {
      expect(configurationInScope(path), path).toBe(false);
    }
  });
});

describe('configuration on real projects: defaults, metadata, loopback, tests', () => {
  const rules = (path: string, text: string) => scanConfiguration(path, text).map((f) => f.ruleId);

  it('accepts a default written next to an environment lookup, in each language', () => {
    expect(rules('app/settings.py', 'SITE = env("SITE_URL", default="http://localhost:8080")\n')).toEqual([]);
    expect(rules('app/cache.py', 'REDIS = os.environ.get("REDIS_URL", "redis://localhost")\n')).toEqual([]);
    expect(rules('dojo/settings.py', '    DD_SITE_URL=(str, "http://localhost:8080"),\n')).toEqual([]);
    expect(rules('app/core/config.py', '    FRONTEND_HOST: str = "http://localhost:5173"\n')).toEqual([]);
    expect(rules('src/keycloak.ts', "  appOrigin: keycloakRedirectUri ?? 'http://localhost:8080',\n")).toEqual([]);
    expect(rules('application.yml', 'url: ${DATABASE_URL:jdbc:postgresql://localhost:5432/app}\n')).toEqual([]);
    expect(rules('templates/configmap.yaml', '  SITE: {{ .Values.siteUrl | default "http://10.0.0.8:8080" }}\n')).toEqual([]);
    expect(rules('start.sh', 'exec app --db "${DB_URL:-postgres://localhost/app}"\n')).toEqual([]);
    // Without a lookup, it is hard-coded.
    expect(rules('src/server.ts', "const io = new Server(server, { cors: { origin: 'http://localhost:4200' } })\n")).toEqual(['configuration.localhost-url']);
  });

  it('never takes metadata for an environment host, nor a chart\'s values and tests for configuration', () => {
    for (const path of ['charts/app/Chart.yaml', 'package.json', 'pom.xml', 'charts/app/values.yaml', 'charts/app/ci/staging-values.yaml', '.env.docker-example']) {
      expect(configurationInScope(path), path).toBe(false);
    }
  });

  it('knows that localhost is the pod\'s or the container\'s own in manifests, templates, compose files and probes', () => {
    expect(rules('charts/prometheus/templates/deploy.yaml', '        - --reload-url=http://127.0.0.1:9090/-/reload\n')).toEqual([]);
    expect(rules('docker/docker-compose.ci.yml', '      test: [CMD, curl, -f, "http://localhost:8080/health/ready"]\n')).toEqual([]);
    expect(rules('vagrant/default.conf', '  ProxyPass / http://localhost:3000/\n')).toEqual([]);
    // An editor's launch settings run on the developer's machine; a pattern that recognises a local URL in a tool's
    // output is no configured URL anywhere.
    expect(rules('.vscode/launch.json', '      "url": "http://localhost:8080",\n')).toEqual([]);
    expect(rules('config/launch.json', '        "pattern": "Local:.*(http://localhost:[0-9]+)",\n')).toEqual([]);
    expect(rules('config/launch.json', '        "url": "http://localhost:8080",\n')).toEqual(['configuration.localhost-url']);
    // An address of another machine in a manifest is still hard-coded.
    expect(rules('k8s/deploy.yaml', 'apiVersion: v1\nkind: Pod\nspec:\n  hostAliases:\n    - ip: "10.1.2.3"\n')).toEqual(['configuration.hardcoded-ip']);
  });

  it('leaves in-cluster names, Docker and cloud metadata hosts, public resolvers and docstrings alone', () => {
    expect(rules('istio/frontend.yaml', '  - "frontend.default.svc.cluster.local"\n')).toEqual([]);
    expect(rules('otel.yaml', '  curl http://metadata.google.internal/computeMetadata/v1/project/project-id\n')).toEqual([]);
    expect(rules('app/dns.py', 'RESOLVER = "8.8.8.8"\n')).toEqual([]);
    expect(rules('dojo/dedupe.py', 'def key(e):\n    """\n    str(e) returns a string like "10.20.197.218:6379"\n    """\n    return str(e)\n')).toEqual([]);
    expect(rules('app/db.py', 'HOST = "db.staging.internal"\n')).toEqual(['configuration.environment-host']);
    expect(rules('src/rules.ts', "  en: 'A URL carries a literal password (scheme://user:password@host).',\n")).toEqual([]);
  });
});
