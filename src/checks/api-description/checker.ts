// The API description checker (EX46, EX54): finds OpenAPI 3.0/3.1 and Swagger 2.0 documents,
// validates each against its official schema, and asks for one when the application exposes an HTTP API (routes in
// its code, not only a web framework in its dependencies; gRPC services are described by their .proto files).
import { findingOf, type Checker, type CheckerResult } from '../model.ts';
import { readYamlDocuments } from '../kubernetes/yaml-documents.ts';
import { apiDescriptionRuleList, apiDescriptionRules as rules } from './rules.ts';
import { specVersionOf, validateApiDescription } from './validate.ts';
import { httpSignalsOf, isDependencyManifest } from './http-signals.ts';
import { say } from './messages.ts';
import { apiEvidenceOf, declaresGrpcService, isApiSourceCandidate, type ApiEvidence } from './api-routes.ts';
import { scopeResolver } from '../scope.ts';
import type { CheckInput } from '../model.ts';

/** Source files read at most to find API routes: enough for large applications, bounded for monorepos. */
const maxSourceFiles = 20_000;

/** Where the production code exposes an HTTP API, or declares gRPC services (tests, examples and docs aside). */
async function apiExposedBy(input: CheckInput): Promise<{ api?: ApiEvidence; grpc?: string }> {
  const scopes = scopeResolver(input.project?.scope);
  let grpc: string | undefined;
  let read = 0;
  for (const file of input.files) {
    if (!isApiSourceCandidate(file.path) || /(^|\/)(node_modules|vendor|third_party|dist|build)\//.test(file.path) || scopes.scopeOf(file.path) === 'test') continue;
    if (++read > maxSourceFiles) break;
    const text = await input.readText(file.path);
    if (text === undefined) continue;
    if (file.path.endsWith('.proto')) {
      if (!grpc && declaresGrpcService(file.path, text)) grpc = file.path;
      continue;
    }
    const api = apiEvidenceOf(file.path, text);
    if (api) return { api };
  }
  return grpc ? { grpc } : {};
}

const candidate = /\.(ya?ml|json)$/i;
const conventionalName = /(^|\/)(openapi|swagger)([.-][^/]*)?\.(ya?ml|json)$/i;
/** A top-level `openapi:`/`swagger:` key, in YAML or in JSON, within the first lines. */
const declaresSpec = /^(?:\{\s*)?["']?(openapi|swagger)["']?\s*:/m;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const apiDescriptionChecker: Checker = {
  name: 'api',
  rules: apiDescriptionRuleList,
  async check(input): Promise<CheckerResult> {
    const result: CheckerResult = { findings: [], notes: [] };
    const described: string[] = [];
    const manifests: { path: string; text: string }[] = [];

    for (const file of input.files) {
      if (isDependencyManifest(file.path)) {
        const text = await input.readText(file.path);
        if (text !== undefined) manifests.push({ path: file.path, text });
      }
      if (!candidate.test(file.path) || /(^|\/)(node_modules|vendor)\//.test(file.path)) continue;
      const named = conventionalName.test(file.path);
      const text = named || file.size < 5 * 1024 * 1024 ? await input.readText(file.path) : undefined;
      if (text === undefined) continue;
      // YAML descriptions start with the key; generated JSON may put it after a long `info`.
      const mentions = declaresSpec.test(text.slice(0, 4096)) || (/\.json$/i.test(file.path) && /"(openapi|swagger)"\s*:\s*"\d/.test(text));
      if (!named && !mentions) continue;

      const documents = readYamlDocuments(text);
      if (documents.error) {
        if (!named) continue; // an unrelated file that merely mentions the key
        const location =
          documents.error.line === undefined ? { file: file.path } : { file: file.path, line: documents.error.line };
        result.findings.push(findingOf(rules.unparsable, location, say['api-description.unparsable'].parse({ reason: documents.error.message.slice(0, 300) }), 'parse'));
        described.push(file.path);
        continue;
      }
      const document = documents.values[0];
      if (!isObject(document)) continue;
      const version = specVersionOf(document);
      if (version === undefined) continue;
      described.push(file.path);
      if (typeof version === 'object') {
        result.notes.push({ file: file.path, message: `API description in ${version.unsupported.slice(0, 40)}: only Swagger 2.0 and OpenAPI 3.0/3.1 are validated.` });
        continue;
      }
      for (const violation of validateApiDescription(version, document)) {
        const line = documents.locate(0, violation.path);
        result.findings.push(
          findingOf(
            rules.invalid,
            line === undefined ? { file: file.path } : { file: file.path, line },
            say['api-description.invalid'].schema({
              version:
                version === 'swagger-2.0' ? 'Swagger 2.0' : version === 'openapi-3.0' ? 'OpenAPI 3.0' : 'OpenAPI 3.1',
              problem: violation.message.slice(0, 300),
            }),
            violation.message,
          ),
        );
      }
    }

    if (described.length === 0) {
      const signals = httpSignalsOf(manifests);
      if (signals.servesHttp) {
        // An OpenAPI generator in the dependencies says there is an API, described at run time.
        const exposed = signals.generator ? {} : await apiExposedBy(input);
        if (signals.generator) {
          result.notes.push({ message: `No API description file, but ${signals.generator} generates one at run time; commit the generated document so it can be validated before production.` });
        } else if (exposed.api) {
          result.findings.push(findingOf(rules.missing, { file: exposed.api.file }, say['api-description.missing'].missing({ evidence: exposed.api.evidence }), 'missing'));
        } else if (exposed.grpc) {
          result.notes.push({ file: exposed.grpc, message: 'The services are gRPC: their .proto files are the API description.' });
        } else {
          result.notes.push({ message: `The application serves HTTP (${signals.servesHttp}) but no API route was found in its code (server-rendered pages): no OpenAPI description is asked.` });
        }
      }
    }
    return result;
  },
};
