import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { containersChecker, isDockerfile } from './checker.ts';
import { checkDockerfile } from './dockerfile.ts';
import { judgeBaseImage } from './base-images.ts';
import { parseImageReference } from './image-reference.ts';
import { fixedNow, folderInput } from './fixture-input.ts';

const fixtures = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const rulesOf = (text: string, now = fixedNow) => checkDockerfile(text, 'Dockerfile', now).findings.map((f) => f.ruleId).sort();

describe('containers checker on fixtures', () => {
  it('accepts a multi-stage build on LTS bases ending with an unprivileged user', async () => {
    const result = await containersChecker.check(folderInput(fixtures('good')));
    expect(result.findings).toEqual([]);
  });

  it('reports every problem of a bad Dockerfile with its line', async () => {
    const result = await containersChecker.check(folderInput(fixtures('bad')));
    const byFile = (file: string) => result.findings.filter((f) => f.location.file === file).map((f) => `${f.ruleId}@${f.location.line}`).sort();
    expect(byFile('Dockerfile')).toEqual([
      'containers.add-remote-url@4',
      'containers.base-image-alpine@1',
      'containers.base-image-floating-tag@1',
      'containers.exposed-port-above-1024@6',
      'containers.non-root-user@8',
      'containers.secret-in-env-or-arg@2',
      'containers.secret-in-env-or-arg@3',
    ]);
    expect(byFile('old.dockerfile')).toEqual([
      'containers.base-image-digest@1',
      'containers.base-image-end-of-life@1',
      'containers.exposed-port-above-1024@2',
      'containers.non-root-user@1',
    ]);
    expect(byFile('Dockerfile.broken')).toEqual(['containers.unparsable@1']);
    const secretMessages = result.findings.filter((f) => f.ruleId === 'containers.secret-in-env-or-arg').map((f) => f.message).join(' ');
    expect(secretMessages).not.toContain('hunter2');
    expect(secretMessages).not.toContain('s3cr3t');
  });
});

describe('base image judgement', () => {
  it('knows LTS releases, Alpine, non-LTS releases and OS hints in tags', () => {
    const status = (image: string) => {
      const verdict = judgeBaseImage(parseImageReference(image)!);
      return verdict.status === 'lts' ? `lts:${verdict.release.distribution}:${verdict.release.version}` : verdict.status;
    };
    expect(status('debian:bookworm-slim')).toBe('lts:debian:12');
    expect(status('ubuntu:24.04')).toBe('lts:ubuntu:24.04');
    expect(status('ubuntu:24.10')).toBe('not-lts');
    expect(status('debian:sid')).toBe('not-lts');
    expect(status('rockylinux/rockylinux:9.3-minimal')).toBe('lts:rockylinux:9');
    expect(status('almalinux:8')).toBe('lts:almalinux:8');
    expect(status('redhat/ubi8-minimal:8.9')).toBe('lts:ubi:8');
    expect(status('opensuse/leap:15.6')).toBe('lts:opensuse-leap:15.6');
    expect(status('python:3.12-slim-bookworm')).toBe('lts:debian:12');
    expect(status('eclipse-temurin:21-jre-jammy')).toBe('lts:ubuntu:22.04');
    expect(status('node:20-alpine3.20')).toBe('alpine');
    expect(status('gcr.io/distroless/static-debian12:nonroot')).toBe('lts:debian:12');
    expect(status('fedora:40')).toBe('not-lts');
    expect(status('node:20')).toBe('unknown');
    expect(status('scratch')).toBe('no-os');
  });

  it('judges end of life against the given time, not the clock', () => {
    const text = 'FROM debian:11@sha256:abc\nUSER 10001\n';
    expect(rulesOf(text, new Date('2026-08-30T00:00:00Z'))).toEqual([]);
    expect(rulesOf(text, new Date('2026-09-01T00:00:00Z'))).toEqual(['containers.base-image-end-of-life']);
  });
});

describe('Dockerfile rules', () => {
  it('follows the user through inherited stages and lets the last USER win', () => {
    expect(rulesOf('FROM debian:12@sha256:a AS base\nUSER 10001\nFROM base\nRUN true\n')).toEqual([]);
    expect(rulesOf('FROM debian:12@sha256:a AS base\nUSER 10001\nFROM debian:12@sha256:a\nRUN true\n')).toEqual(['containers.non-root-user']);
    expect(rulesOf('FROM debian:12@sha256:a\nUSER 0\n')).toEqual(['containers.non-root-user']);
    expect(rulesOf('FROM debian:12@sha256:a\nUSER 0\nUSER app\n')).toEqual([]);
    expect(rulesOf('FROM debian:12@sha256:a\nUSER ContainerAdministrator\n')).toEqual(['containers.non-root-user']);
  });

  it('resolves build arguments in FROM and does not judge what it cannot resolve', () => {
    expect(rulesOf('ARG TAG=3.20\nFROM alpine:${TAG}@sha256:a\nUSER 1\n')).toEqual(['containers.base-image-alpine']);
    const unresolved = checkDockerfile('ARG BASE\nFROM ${BASE}\nUSER 1\n', 'Dockerfile', fixedNow);
    expect(unresolved.findings).toEqual([]);
    expect(unresolved.notes[0]?.message).toContain('build argument');
  });

  it('accepts FROM of an earlier stage name and flags latest tags', () => {
    expect(rulesOf('FROM debian:latest AS b\nFROM b\nUSER 1\n')).toEqual(['containers.base-image-floating-tag']);
  });

  it('does not flag secret references or variables forwarded from other variables', () => {
    expect(rulesOf('FROM debian:12@sha256:a\nARG NPM_TOKEN\nENV TOKEN_FILE=/run/secrets/t API_KEY=$NPM_TOKEN\nUSER 1\n')).toEqual([]);
    expect(rulesOf('FROM debian:12@sha256:a\nENV TOKEN_TTL=3600 PASSWORD_MIN_LENGTH=12 SECRETS_ENABLED=true\nUSER 1\n')).toEqual([]);
  });

  it('reports malformed files as unparsable, never throws', () => {
    for (const text of ['', 'RUN echo hi\nFROM debian:12\n', '\u0000\u0001\u0002garbage', 'FROM\n', 'FROM a:b:c::\n']) {
      const result = checkDockerfile(text, 'Dockerfile', fixedNow);
      expect(result.findings.length).toBeGreaterThan(0);
    }
  });

  it('recognises Dockerfile names', () => {
    expect(['Dockerfile', 'api/Containerfile', 'Dockerfile.prod', 'web.dockerfile', 'x.Containerfile'].every(isDockerfile)).toBe(true);
    expect(['Dockerfile.md', 'README.md', 'dockerfile-lint.yml', '.dockerignore', 'src/dockerfile.ts', 'Dockerfile.test.js', 'dockerfile.py'].some(isDockerfile)).toBe(false);
  });
});
