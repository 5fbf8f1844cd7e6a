// Does the tree look like an application serving HTTP, and does it generate its API description
// at run time? Both read dependency manifests only: cheap, and what a reviewer would look at.

export interface HttpSignals {
  /** Why we think the tree serves HTTP, e.g. "express in package.json". */
  servesHttp?: string;
  /** A library that generates the OpenAPI document at run time, e.g. "@fastify/swagger in package.json". */
  generator?: string;
}

const manifestName = /(^|\/)(package\.json|pom\.xml|build\.gradle(\.kts)?|requirements[^/]*\.txt|pyproject\.toml|Pipfile|go\.mod|composer\.json|Gemfile|[^/]+\.csproj)$/;

const servers: [RegExp, string][] = [
  [/"(express|fastify|koa|@hapi\/hapi|@nestjs\/core|restify|hono|@adonisjs\/core|next|nuxt|@sveltejs\/kit)"\s*:/, 'a Node.js HTTP framework'],
  [/spring-boot-starter-web(flux)?|quarkus-rest|quarkus-resteasy|micronaut-http-server|helidon-webserver|javalin|jakarta\.ws\.rs|dropwizard-core|vertx-web/, 'a Java HTTP framework'],
  [/^\s*["']?(flask|fastapi|django|starlette|aiohttp|tornado|falcon|sanic|pyramid|bottle|quart|litestar)\b/im, 'a Python HTTP framework'],
  [/github\.com\/(gin-gonic\/gin|labstack\/echo|gofiber\/fiber|go-chi\/chi|gorilla\/mux)/, 'a Go HTTP framework'],
  [/"(laravel\/framework|symfony\/http-kernel|slim\/slim)"/, 'a PHP HTTP framework'],
  [/Microsoft\.AspNetCore|Sdk="Microsoft\.NET\.Sdk\.Web"/, 'ASP.NET Core'],
  [/^\s*gem\s+["'](rails|sinatra|hanami)["']/m, 'a Ruby HTTP framework'],
];

const generators: [RegExp, string][] = [
  [/"(@fastify\/swagger|@nestjs\/swagger|swagger-jsdoc|express-openapi|@asteasolutions\/zod-to-openapi|tsoa|hono-openapi|@hono\/zod-openapi|fastify-openapi-glue)"\s*:/, 'an OpenAPI generator for Node.js'],
  [/springdoc-openapi|springfox|smallrye-open-api|quarkus-smallrye-openapi|micronaut-openapi|swagger-jaxrs2/, 'an OpenAPI generator for Java'],
  [/^\s*["']?(fastapi|drf-spectacular|drf-yasg|flask-smorest|apispec|flasgger|django-ninja|litestar)\b/im, 'an OpenAPI generator for Python'],
  [/github\.com\/swaggo\/swag|github\.com\/danielgtaylor\/huma/, 'an OpenAPI generator for Go'],
  [/Swashbuckle|NSwag|Microsoft\.AspNetCore\.OpenApi/, 'an OpenAPI generator for .NET'],
];

export function isDependencyManifest(path: string): boolean {
  return manifestName.test(path) && !/(^|\/)(node_modules|vendor|fixtures|__fixtures__)\//.test(path);
}

export function httpSignalsOf(manifests: { path: string; text: string }[]): HttpSignals {
  const signals: HttpSignals = {};
  for (const { path, text } of manifests) {
    const head = text.slice(0, 200_000);
    if (!signals.servesHttp) {
      const server = servers.find(([pattern]) => pattern.test(head));
      if (server) signals.servesHttp = `${server[1]} in ${path}`;
    }
    if (!signals.generator) {
      const generator = generators.find(([pattern]) => pattern.test(head));
      if (generator) signals.generator = `${generator[1]} in ${path}`;
    }
  }
  return signals;
}
