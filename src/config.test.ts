import { describe, expect, it } from 'vitest';
import { ConfigError, configReference, loadConfig } from './config.ts';

const key = Buffer.alloc(32, 1).toString('base64');

describe('configuration from the environment', () => {
  it('has safe embedded defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.oidc.kind).toBe('builtin');
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.dataDir).toMatch(/data$/);
  });

  it('names every invalid value in one error', () => {
    try {
      loadConfig({ PORT: 'eighty', DSO_ENCRYPTION_KEY: 'c2hvcnQ=', DSO_LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', DSO_OIDC_ADMIN_GROUPS: 'king=all', DSO_WORKERS: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of ['PORT', 'DSO_ENCRYPTION_KEY', 'DSO_LOG_LEVEL', 'DATABASE_URL', 'DSO_OIDC_ADMIN_GROUPS', 'DSO_WORKERS']) expect(message).toContain(name);
    }
  });

  it('refuses unsafe defaults in production unless explicitly allowed', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/built-in identity provider[\s\S]*DSO_ENCRYPTION_KEY/);
    expect(loadConfig({ NODE_ENV: 'production', DSO_ALLOW_UNSAFE: 'true' }).env).toBe('production');
    const config = loadConfig({ NODE_ENV: 'production', DSO_ENCRYPTION_KEY: key, DSO_OIDC_ISSUER: 'https://keycloak.example/realms/x', DSO_OIDC_CLIENT_ID: 'dso', DSO_OIDC_CLIENT_SECRET: 's' });
    expect(config.oidc).toMatchObject({ kind: 'external', issuer: 'https://keycloak.example/realms/x', clientId: 'dso' });
  });

  it('runs test commands in bubblewrap unless DSO_SANDBOX=none, which production refuses even when unsafe defaults are allowed', () => {
    expect(loadConfig({}).chain.sandbox).toEqual({ mode: 'bubblewrap', toolchains: [] });
    expect(loadConfig({ DSO_SANDBOX: 'none' }).chain.sandbox.mode).toBe('none');
    const production = { NODE_ENV: 'production', DSO_ENCRYPTION_KEY: key, DSO_ALLOW_UNSAFE: 'true' };
    expect(() => loadConfig({ ...production, DSO_SANDBOX: 'none' })).toThrow(/refuses DSO_SANDBOX=none[\s\S]*apt-get install bubblewrap/);
    expect(() => loadConfig({ DSO_SANDBOX: 'docker' })).toThrow(/DSO_SANDBOX="docker" must be bubblewrap or none/);
    expect(() => loadConfig({ DSO_CHART_REPOSITORY_URL: 'charts.example.org' })).toThrow(/DSO_CHART_REPOSITORY_URL="charts.example.org" must be an https:\/\/, http:\/\/ or oci:\/\/ chart repository URL/);
    expect(() => loadConfig({ DSO_CHART_REPOSITORY_URL: 'oci://harbor.example.org/charts' })).not.toThrow();
  });

  it('mounts only declared toolchain folders, never the host\'s private ones or the data folder', () => {
    expect(loadConfig({ DSO_SANDBOX_TOOLCHAINS: '/opt/java/jdk-21, /opt/node-22' }).chain.sandbox.toolchains).toEqual(['/opt/java/jdk-21', '/opt/node-22']);
    for (const bad of ['/', '/home/alice/jdk', '/root', '/var/lib/dso', '/tmp/x', '/etc', 'opt/jdk', '/opt/../root', '/srv/dso/data/git']) {
      expect(() => loadConfig({ DSO_DATA_DIR: '/srv/dso/data', DSO_SANDBOX_TOOLCHAINS: bad }), bad).toThrow(/DSO_SANDBOX_TOOLCHAINS entry/);
    }
    expect(() => loadConfig({ DSO_DATA_DIR: '/srv/dso/data', DSO_SANDBOX_TOOLCHAINS: '/srv' })).toThrow(/DSO_SANDBOX_TOOLCHAINS entry "\/srv"/);
  });

  it('maps OIDC groups to admin roles', () => {
    const config = loadConfig({ DSO_OIDC_ADMIN_GROUPS: 'platform-admin=dso-admins|ops, security-officer=rssi' });
    expect(config.oidcAdminGroups).toEqual({ 'platform-admin': ['dso-admins', 'ops'], 'security-officer': ['rssi'] });
  });

  it('reads only the variables it documents', () => {
    const read = new Set<string>();
    const watched = new Proxy({} as NodeJS.ProcessEnv, { get: (_, name) => (typeof name === 'string' && read.add(name), undefined) });
    loadConfig(watched);
    const names = configReference.map((v) => v.name);
    expect([...read].filter((name) => !names.includes(name))).toEqual([]);
    for (const name of ['PORT', 'DATABASE_URL', 'NODE_ENV', 'DSO_DATA_DIR', 'DSO_ENCRYPTION_KEY', 'DSO_ADMIN_TOKEN', 'DSO_OIDC_ISSUER', 'DSO_OIDC_ADMIN_GROUPS', 'DSO_ALLOW_UNSAFE']) expect(read).toContain(name);
  });

  it('refuses a malformed cron expression at start, saying why in French and in English', () => {
    expect(loadConfig({ DSO_NIGHTLY_RESCAN_CRON: '30 3 * * 1-5' }).chain.nightlyCron).toBe('30 3 * * 1-5');
    expect(loadConfig({ DSO_NIGHTLY_RESCAN_CRON: '*/15 0,12 1 jan-jun sun' }).chain.nightlyCron).toBe('*/15 0,12 1 jan-jun sun');
    expect(() => loadConfig({ DSO_NIGHTLY_RESCAN_CRON: '0 2 * *' })).toThrow(
      /DSO_NIGHTLY_RESCAN_CRON="0 2 \* \*" : une expression cron a 5 champs .* ici 4\. \/ DSO_NIGHTLY_RESCAN_CRON="0 2 \* \*": a cron expression has 5 fields/,
    );
    expect(() => loadConfig({ DSO_NIGHTLY_RESCAN_CRON: '0 25 * * *' })).toThrow(/le champ heure « 25 » n'est pas valide \(de 0 à 23.*the hour field "25" is not valid \(0 to 23/);
    for (const bad of ['61 * * * *', '0 2 * * mon-', '0 2 */0 * *', '0 2 * 13 *', '0 2 * * 8', '0 2 5-1 * *', '@daily', 'every night']) {
      expect(() => loadConfig({ DSO_NIGHTLY_RESCAN_CRON: bad }), bad).toThrow(/DSO_NIGHTLY_RESCAN_CRON/);
    }
  });
});
