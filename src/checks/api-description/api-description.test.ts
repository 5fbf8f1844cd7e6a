import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { apiDescriptionChecker } from './checker.ts';
import { folderInput, memoryInput } from '../containers/fixture-input.ts';

const fixtures = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('API description', () => {
  it('accepts valid OpenAPI 3.0, 3.1 and Swagger 2.0 documents', async () => {
    const result = await apiDescriptionChecker.check(folderInput(fixtures('valid')));
    expect(result.findings).toEqual([]);
  });

  it('reports schema violations at their line and unreadable descriptions', async () => {
    const result = await apiDescriptionChecker.check(folderInput(fixtures('invalid')));
    const lines = result.findings.map((f) => `${f.ruleId}@${f.location.file}:${f.location.line}`);
    expect(lines).toEqual(expect.arrayContaining([
      'api-description.invalid@openapi.yaml:9', // the response with a typo
      'api-description.invalid@openapi.yaml:3', // info without version
      'api-description.invalid@openapi.yaml:13', // parameter "in" outside the allowed values
      'api-description.unparsable@swagger.json:2', // the unclosed object, at the end of the text
    ]));
    expect(result.findings.find((f) => f.location.line === 9)?.message).toContain('descriptio');
  });

  it('asks for a description only when the tree serves HTTP without generating one', async () => {
    const missing = await apiDescriptionChecker.check(folderInput(fixtures('missing')));
    expect(missing.findings.map((f) => `${f.ruleId}@${f.location.file}`)).toEqual(['api-description.missing@src/main/java/fr/gouv/demo/ProjectResource.java']);
    expect(missing.findings[0]!.text!.fr).toContain('Spring @RestController in src/main/java/fr/gouv/demo/ProjectResource.java');
    const generated = await apiDescriptionChecker.check(folderInput(fixtures('generated')));
    expect(generated.findings).toEqual([]);
    expect(generated.notes[0]?.message).toContain('generates one at run time');
    const library = await apiDescriptionChecker.check(memoryInput({ 'package.json': '{"name":"lib","dependencies":{"semver":"7"}}', 'config.yaml': 'openapi_enabled: true\n' }));
    expect(library.findings).toEqual([]);
  });

  it('asks for no OpenAPI file from a server-rendered site or from gRPC services described by their .proto', async () => {
    const pom = '<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>';
    const pages = await apiDescriptionChecker.check(memoryInput({
      'pom.xml': pom,
      'src/main/java/org/demo/OwnerController.java': '@Controller\nclass OwnerController {\n  @GetMapping("/owners")\n  String list(Model model) { return "owners/list"; }\n}\n',
      // A REST controller in the tests is not the application's API.
      'src/test/java/org/demo/FakeApi.java': '@RestController\nclass FakeApi {}\n',
    }));
    expect(pages.findings).toEqual([]);
    expect(pages.notes.map((n) => n.message).join('\n')).toContain('no API route was found in its code');

    const grpc = await apiDescriptionChecker.check(memoryInput({
      'src/frontend/go.mod': 'module frontend\nrequire github.com/gorilla/mux v1.8.0\n',
      'protos/demo.proto': 'syntax = "proto3";\nservice CartService {\n  rpc AddItem(AddItemRequest) returns (Empty) {}\n}\n',
      'src/frontend/main.go': 'package main\nfunc main() { r := mux.NewRouter(); r.HandleFunc("/", home) }\n',
    }));
    expect(grpc.findings).toEqual([]);
    expect(grpc.notes.map((n) => n.file)).toContain('protos/demo.proto');

    const express = await apiDescriptionChecker.check(memoryInput({
      'package.json': '{"dependencies":{"express":"4"}}',
      'routes/basket.ts': "router.get('/rest/basket/:id', (req, res) => { res.json({ status: 'success' }) })\n",
    }));
    expect(express.findings.map((f) => f.location.file)).toEqual(['routes/basket.ts']);
  });

  it('finds a description by its top-level key whatever the file name, but not a nested key', async () => {
    const info = JSON.stringify({ title: 'Generated', version: '1', description: 'x'.repeat(5000) });
    const result = await apiDescriptionChecker.check(memoryInput({
      'build/api-spec.json': `{"info":${info},"openapi":"3.0.3"}`,
      'config/app.yaml': 'server:\n  openapi: 3.0.0\n',
    }));
    expect(result.findings.map((f) => `${f.ruleId}@${f.location.file}`)).toEqual(['api-description.invalid@build/api-spec.json']);
    const broken = await apiDescriptionChecker.check(memoryInput({ 'docs/api.yaml': 'openapi: 3.1.0\ninfo: { title: x }\n' }));
    expect(broken.findings.map((f) => f.ruleId)).toContain('api-description.invalid');
  });

  it('notes unsupported versions instead of guessing', async () => {
    const result = await apiDescriptionChecker.check(memoryInput({ 'openapi.yaml': 'openapi: 4.0.0\ninfo: {}\n' }));
    expect(result.findings).toEqual([]);
    expect(result.notes[0]?.message).toContain('openapi 4.0.0');
  });
});
