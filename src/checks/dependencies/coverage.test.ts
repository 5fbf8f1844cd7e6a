// Dependency coverage: every common ecosystem is read, and what could not be resolved is said with its reason.
// Real manifests where we have them (Spring petclinic's pom.xml and build.gradle, see __fixtures__/real), and a
// local Maven repository laid out like ~/.m2 for parents and BOMs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckInput } from '../model.ts';
import { readComponents, scanDependencies } from './checker.ts';
import { localMavenRepository } from './maven/local-repository.ts';
import { parseGradleLockfile, parseVersionCatalog } from './parsers/gradle.ts';
import { parseGemfileLock } from './parsers/gemfile-lock.ts';
import { parsePackagesLock } from './parsers/nuget.ts';
import { lowestVersionOf, parsePackageJson } from './parsers/package-json.ts';
import { parseTomlPackageLock } from './parsers/python.ts';

const fixtures = path.join(import.meta.dirname, '__fixtures__');
const m2 = path.join(fixtures, 'm2');

/** An in-memory tree: path → text. */
function tree(files: Record<string, string>): Pick<CheckInput, 'files' | 'readText'> {
  return {
    files: Object.keys(files).map((p) => ({ path: p, size: files[p]!.length })),
    readText: async (p) => files[p],
  };
}

async function petclinic(): Promise<{ 'pom.xml': string; 'build.gradle': string }> {
  const dir = path.join(fixtures, 'real/spring-petclinic');
  return { 'pom.xml': await readFile(path.join(dir, 'pom.xml'), 'utf8'), 'build.gradle': await readFile(path.join(dir, 'build.gradle'), 'utf8') };
}

describe('Maven parents and BOMs (Spring petclinic)', () => {
  it('without the parent, says which components stay unresolved and why', async () => {
    const { pom } = { pom: (await petclinic())['pom.xml'] };
    const read = await readComponents({ ...tree({ 'pom.xml': pom }), mavenSources: [] });
    // Only the webjars, versioned by the project's own properties, are known without the Spring Boot parent.
    expect(read.components.map((c) => c.name).sort()).toEqual(['org.webjars.npm:bootstrap', 'org.webjars.npm:font-awesome', 'org.webjars:webjars-locator-lite']);
    expect(read.unevaluated).toHaveLength(21);
    expect(new Set(read.unevaluated.map((u) => `${u.code} ${u.params.parent}`))).toEqual(new Set(['maven-parent-unresolved org.springframework.boot:spring-boot-starter-parent:4.0.3']));
  });

  it('with the local Maven repository: parent, its BOM, the imported BOM and properties resolve every component', async () => {
    const read = await readComponents({ ...tree({ 'pom.xml': (await petclinic())['pom.xml'] }), mavenSources: [localMavenRepository(m2)] });
    expect(read.unevaluated).toEqual([]);
    expect(read.components).toHaveLength(24);
    const version = (name: string) => read.components.find((c) => c.name === name)?.version;
    expect(version('com.h2database:h2')).toBe('2.4.240');
    expect(version('org.springframework.boot:spring-boot-starter-webmvc')).toBe('4.0.3');
    // Imported BOM (scope import) with ${project.version} of the BOM itself.
    expect(version('org.testcontainers:testcontainers-mysql')).toBe('2.0.2');
    expect(read.components.find((c) => c.name === 'com.h2database:h2')).toMatchObject({ purl: 'pkg:maven/com.h2database/h2@2.4.240', file: 'pom.xml' });
  });

  it("a module's parent is another POM of the tree; a child property overrides the version its parent manages", async () => {
    const parent = `<project><groupId>fr.example</groupId><artifactId>parent</artifactId><version>1.0</version><packaging>pom</packaging>
<properties><jackson.version>2.9.8</jackson.version></properties>
<dependencyManagement><dependencies><dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>\${jackson.version}</version></dependency></dependencies></dependencyManagement>
<modules><module>app</module></modules></project>`;
    const child = `<project><parent><groupId>fr.example</groupId><artifactId>parent</artifactId><version>1.0</version></parent><artifactId>app</artifactId>
<properties><jackson.version>2.13.4</jackson.version></properties>
<dependencies><dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId></dependency></dependencies></project>`;
    const read = await readComponents({ ...tree({ 'pom.xml': parent, 'app/pom.xml': child }), mavenSources: [] });
    expect(read.unevaluated).toEqual([]);
    expect(read.components.map((c) => `${c.file} ${c.name}@${c.version}`)).toEqual(['app/pom.xml com.fasterxml.jackson.core:jackson-databind@2.13.4']);
  });
});

describe('Gradle', () => {
  it('build.gradle: variables from gradle.properties, and the Spring Boot plugin BOM from the local Maven repository', async () => {
    const files = { 'build.gradle': (await petclinic())['build.gradle'], 'gradle.properties': 'webjarsLocatorLiteVersion=1.1.0\nwebjarsFontawesomeVersion=4.7.0\nwebjarsBootstrapVersion=5.3.8\n' };
    const without = await readComponents({ ...tree(files), mavenSources: [] });
    expect(without.components.map((c) => c.name).sort()).toEqual(['org.webjars.npm:bootstrap', 'org.webjars.npm:font-awesome', 'org.webjars:webjars-locator-lite']);
    expect(without.unevaluated[0]).toMatchObject({ code: 'maven-bom-unresolved', params: { bom: 'org.springframework.boot:spring-boot-dependencies:4.0.3' } });
    const withBom = await readComponents({ ...tree(files), mavenSources: [localMavenRepository(m2)] });
    expect(withBom.unevaluated).toEqual([]);
    expect(withBom.components.find((c) => c.name === 'org.postgresql:postgresql')).toMatchObject({ version: '42.7.8', line: 48 });
    expect(withBom.components.length).toBeGreaterThanOrEqual(20);
  });

  it('gradle.lockfile is the complete answer; catalogs resolve version.ref and report dynamic versions', () => {
    const lock = parseGradleLockfile('gradle.lockfile', '# This is a Gradle generated file\ncom.google.guava:guava:31.1-jre=compileClasspath,runtimeClasspath\njunit:junit:4.13.2=testCompileClasspath\nempty=annotationProcessor\n');
    expect(lock.components.map((c) => `${c.name}@${c.version}${c.development ? ' dev' : ''}`)).toEqual(['com.google.guava:guava@31.1-jre', 'junit:junit@4.13.2 dev']);
    const catalog = parseVersionCatalog('gradle/libs.versions.toml', `[versions]
jackson = "2.13.4"
okhttp = { strictly = "4.9.3" }
[libraries]
jackson-databind = { module = "com.fasterxml.jackson.core:jackson-databind", version.ref = "jackson" }
okhttp = { group = "com.squareup.okhttp3", name = "okhttp", version.ref = "okhttp" }
commons-text = "org.apache.commons:commons-text:1.9"
snake = { module = "org.yaml:snakeyaml", version = "1.+" }
boot-web = { module = "org.springframework.boot:spring-boot-starter-web" }
`);
    expect(catalog.components.map((c) => `${c.name}@${c.version}`)).toEqual(['com.fasterxml.jackson.core:jackson-databind@2.13.4', 'com.squareup.okhttp3:okhttp@4.9.3', 'org.apache.commons:commons-text@1.9']);
    expect(catalog.unevaluated?.map((u) => u.code)).toEqual(['dynamic-version', 'version-unresolved']);
  });
});

describe('npm package.json without a lockfile', () => {
  it('checks exact pins, checks ranges at their lowest version marked "unresolved range", and ignores it when a lockfile covers it', async () => {
    const pkg = JSON.stringify({ dependencies: { jsonwebtoken: '0.4.0', express: '^4.17.1', lodash: '>=4.17.0 <5', left: '*', mine: 'file:../mine', fork: 'github:me/fork' }, devDependencies: { mocha: '~9.1' } }, null, 2);
    const out = parsePackageJson('package.json', pkg);
    expect(out.components.map((c) => `${c.name}@${c.version}${c.range ? ` (${c.range})` : ''}`)).toEqual(['jsonwebtoken@0.4.0', 'express@4.17.1 (^4.17.1)', 'lodash@4.17.0 (>=4.17.0 <5)', 'mocha@9.1.0 (~9.1)']);
    expect(out.unevaluated?.map((u) => `${u.item} ${u.code}`)).toEqual(['express range-unresolved', 'lodash range-unresolved', 'left version-unresolved', 'fork version-unresolved', 'mocha range-unresolved']);
    expect(lowestVersionOf('^2.0.0 || 1.4.x')).toBe('1.4.0');
    const covered = await readComponents(tree({ 'package.json': pkg, 'package-lock.json': '{"lockfileVersion":3,"packages":{}}', 'web/package.json': pkg }));
    expect(covered.components).toEqual([]);
  });

  it('finds jsonwebtoken 0.4.0 of a package.json alone, and the extent counts ranges as not fully checked', async () => {
    const pkg = JSON.stringify({ dependencies: { jsonwebtoken: '0.4.0', express: '^4.17.1' } });
    const { result } = await scanDependencies({ root: '/nonexistent', ...tree({ 'package.json': pkg }), options: { dataDir: '/nonexistent', now: new Date() } });
    expect(result.findings.some((f) => f.properties?.package === 'jsonwebtoken')).toBe(true);
    expect(result.extent).toEqual({ vulnerabilities: { checked: 1, total: 2, unit: 'components' } });
  });
});

describe('.NET, Ruby and the Python lockfiles', () => {
  it('.NET: packages.lock.json, PackageReference and Directory.Packages.props', async () => {
    const lock = parsePackagesLock('packages.lock.json', JSON.stringify({ version: 1, dependencies: { 'net8.0': { 'Newtonsoft.Json': { type: 'Direct', requested: '[12.0.1, )', resolved: '12.0.1' }, 'System.Text.Json': { type: 'Transitive', resolved: '4.7.2' }, Lib: { type: 'Project' } } } }));
    expect(lock.components.map((c) => `${c.name}@${c.version} ${c.direct}`)).toEqual(['Newtonsoft.Json@12.0.1 true', 'System.Text.Json@4.7.2 false']);
    const csproj = `<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>
  <PackageReference Include="Newtonsoft.Json" Version="12.0.1" />
  <PackageReference Include="Serilog" />
  <PackageReference Include="Dapper"><Version>2.0.*</Version></PackageReference>
  <PackageReference Include="Unknown.Package" />
</ItemGroup></Project>`;
    const props = `<Project><ItemGroup><PackageVersion Include="Serilog" Version="2.10.0" /></ItemGroup></Project>`;
    const read = await readComponents(tree({ 'src/App/App.csproj': csproj, 'Directory.Packages.props': props }));
    expect(read.components.map((c) => `${c.name}@${c.version}`)).toEqual(['Newtonsoft.Json@12.0.1', 'Serilog@2.10.0']);
    expect(read.unevaluated.map((u) => `${u.item} ${u.code}`)).toEqual(['Dapper dynamic-version', 'Unknown.Package version-unresolved']);
    expect(read.components[0]!.purl).toBe('pkg:nuget/Newtonsoft.Json@12.0.1');
  });

  it('Gemfile.lock: gems of the GEM section, platform suffixes removed', () => {
    const out = parseGemfileLock('Gemfile.lock', `GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.13.3-x86_64-linux)
      racc (~> 1.4)
    racc (1.6.0)
    rails (6.1.4)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  rails (~> 6.1)
`);
    expect(out.components.map((c) => `${c.name}@${c.version} ${c.direct}`)).toEqual(['nokogiri@1.13.3 false', 'racc@1.6.0 false', 'rails@6.1.4 true']);
  });

  it('uv.lock and pdm.lock: registry packages, never the project itself', () => {
    const uv = parseTomlPackageLock('uv.lock', `version = 1
[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "django"
version = "3.2.0"
source = { registry = "https://pypi.org/simple" }
`);
    expect(uv.components.map((c) => `${c.name}@${c.version}`)).toEqual(['django@3.2.0']);
    const pdm = parseTomlPackageLock('pdm.lock', `[metadata]\ngroups = ["default"]\n\n[[package]]\nname = "requests"\nversion = "2.19.0"\nsummary = "HTTP"\n`);
    expect(pdm.components.map((c) => `${c.name}@${c.version}`)).toEqual(['requests@2.19.0']);
  });
});
