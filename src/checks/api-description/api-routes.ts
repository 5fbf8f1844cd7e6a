// Does the application serve an HTTP API (as opposed to server-rendered pages only)? A framework in the dependency
// manifest says it serves HTTP; the code says whether it exposes an API: a Spring @RestController, an Express or
// Fastify route answering JSON, a Nest controller, FastAPI or Django REST framework views, a Go handler writing JSON…
// gRPC services are described by their .proto files, which count as the description. Pure: texts in, evidence out.

export interface ApiEvidence {
  /** e.g. "Spring @RestController in src/main/java/…/OwnerResource.java" */
  evidence: string;
  file: string;
}

interface Signal {
  files: RegExp;
  /** Every pattern must match somewhere in the file. */
  all: RegExp[];
  label: string;
}

const signals: Signal[] = [
  { files: /\.(java|kt)$/, all: [/@RestController\b/], label: 'Spring @RestController' },
  { files: /\.(java|kt)$/, all: [/@(Get|Post|Put|Patch|Delete|Request)Mapping\b/, /@ResponseBody\b/], label: 'Spring @ResponseBody handler' },
  { files: /\.(java|kt)$/, all: [/^\s*import\s+(jakarta|javax)\.ws\.rs\./m, /@Path\(/], label: 'JAX-RS resource' },
  { files: /\.[cm]?[jt]s$/, all: [/@Controller\(/, /@(Get|Post|Put|Patch|Delete)\(/, /@nestjs\/common/], label: 'Nest controller' },
  { files: /\.[cm]?[jt]s$/, all: [/\b(?:app|router|api|server|fastify|routes?)\.(?:get|post|put|patch|delete)\(\s*['"`]\//, /\.(?:json|send)\(\s*[{[]|\breply\.send\(|\bres\.json\(|\breturn\s*\{/], label: 'Express/Fastify JSON route' },
  { files: /\.py$/, all: [/^\s*from\s+fastapi\b|^\s*import\s+fastapi\b/m, /@\w+\.(?:get|post|put|patch|delete|api_route)\(/], label: 'FastAPI route' },
  { files: /\.py$/, all: [/^\s*from\s+rest_framework\b|^\s*import\s+rest_framework\b/m, /\b(?:APIView|ViewSet|ModelViewSet|GenericAPIView|api_view|Serializer)\b/], label: 'Django REST framework view' },
  { files: /\.py$/, all: [/@\w+\.route\(/, /\bjsonify\(/], label: 'Flask JSON route' },
  { files: /\.go$/, all: [/\b(?:http\.HandleFunc|\.HandleFunc|\.Handle|\.(?:GET|POST|PUT|PATCH|DELETE|Get|Post|Put|Patch|Delete))\(\s*"\//, /json\.NewEncoder\(|\bc\.JSON\(|\.JSON\(http\.|render\.JSON\(|json\.Marshal\(/], label: 'Go HTTP handler writing JSON' },
  { files: /\.cs$/, all: [/\[ApiController\]/], label: 'ASP.NET Core API controller' },
  { files: /\.cs$/, all: [/\.Map(?:Get|Post|Put|Patch|Delete)\(/, /Results\.(?:Json|Ok)\(|TypedResults\.|\.WriteAsJsonAsync\(/], label: 'ASP.NET Core minimal API' },
  { files: /\.php$/, all: [/Route::(?:get|post|put|patch|delete|apiResource)\(/, /->json\(|response\(\)->json|JsonResponse/], label: 'PHP JSON route' },
  { files: /\.rb$/, all: [/render\s+json:/], label: 'Rails JSON render' },
];

/** A .proto file declaring a gRPC service. */
const grpcService = /^\s*service\s+\w+\s*\{/m;

export function isApiSourceCandidate(path: string): boolean {
  return /\.(java|kt|[cm]?[jt]s|py|go|cs|php|rb|proto)$/.test(path) && !/\.d\.ts$|\.min\.js$/.test(path);
}

/** The first API evidence in this file, if any. */
export function apiEvidenceOf(path: string, text: string): ApiEvidence | undefined {
  const head = text.slice(0, 200_000);
  for (const signal of signals) {
    if (signal.files.test(path) && signal.all.every((p) => p.test(head))) return { evidence: `${signal.label} in ${path}`, file: path };
  }
  return undefined;
}

export function declaresGrpcService(path: string, text: string): boolean {
  return path.endsWith('.proto') && grpcService.test(text.slice(0, 200_000));
}
