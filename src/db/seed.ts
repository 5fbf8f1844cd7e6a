// Reference data every installation needs, inserted once and idempotently at start: the default project roles
// (from domain/permissions.ts), the stages dev/staging/prod, a default zone with an internal cluster, and the first
// version of the usage policy. Existing rows are left alone, so administrators' later edits are never overwritten.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { defaultProjectRoles } from '../domain/permissions.ts';
import type { Db } from './client.ts';
import { clusters, projectRoles, stages, usagePolicies, zones } from './schema.ts';

export const defaultStages = [
  { slug: 'dev', label: 'Développement', production: false, position: 10 },
  { slug: 'staging', label: 'Pré-production', production: false, position: 20 },
  { slug: 'prod', label: 'Production', production: true, position: 30 },
] as const;

export const defaultZone = { slug: 'default', label: 'Zone par défaut', maxSensitivity: 'sensitive', gateMode: 'enforce' as const };
export const defaultCluster = { slug: 'internal', label: 'Cluster interne', kind: 'internal' as const, cpuMillicores: 64_000, memoryMiB: 262_144, gpu: 0 };

export const firstUsagePolicy = {
  version: 1,
  titleFr: "Conditions d'utilisation de la plateforme DSO π",
  titleEn: 'DSO π platform usage policy',
  contentFr: [
    "1. La plateforme sert à construire, vérifier et déployer les applications de l'administration. Vous l'utilisez pour le compte de votre service, dans le cadre de vos missions.",
    '2. Vous êtes responsable de ce que vous déposez : pas de données personnelles réelles hors des environnements prévus pour elles, pas de secret dans le code ; les secrets passent par le coffre de la plateforme.',
    "3. Vos jetons d'accès sont personnels. Ne les partagez pas ; révoquez-les dès qu'ils ne servent plus ou au moindre doute.",
    "4. Chaque action est journalisée (qui, quoi, quand) pour la sécurité et l'homologation des projets ; ces journaux ne sont pas modifiables.",
    "5. Une révision n'est déployée en production que si la chaîne de la plateforme l'a certifiée. Contourner ces contrôles est interdit.",
    "6. Signalez sans délai tout incident de sécurité ou toute vulnérabilité à l'équipe de la plateforme.",
    "7. L'équipe de la plateforme peut verrouiller un projet qui met en danger la plateforme ou d'autres projets.",
  ].join('\n\n'),
  contentEn: [
    "1. The platform builds, checks and deploys the administration's applications. You use it on behalf of your department, for your duties.",
    '2. You are responsible for what you upload: no real personal data outside the environments meant for it, no secrets in code; secrets go through the platform vault.',
    '3. Your access tokens are personal. Do not share them; revoke them as soon as they are no longer needed or at the slightest doubt.',
    '4. Every action is logged (who, what, when) for security and the projects\' homologation; these logs cannot be altered.',
    '5. A revision reaches production only once the platform chain has certified it. Bypassing these controls is forbidden.',
    '6. Report any security incident or vulnerability to the platform team without delay.',
    '7. The platform team may lock a project that endangers the platform or other projects.',
  ].join('\n\n'),
};

export async function seedReferenceData(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    // Serialise concurrent starts of several replicas (PostgreSQL); harmless on PGlite.
    await tx.execute(sql`select pg_advisory_xact_lock(727002)`);
    for (const role of defaultProjectRoles) {
      const [existing] = await tx
        .select({ id: projectRoles.id })
        .from(projectRoles)
        .where(and(isNull(projectRoles.projectId), eq(projectRoles.name, role.name)))
        .limit(1);
      if (!existing) {
        await tx
          .insert(projectRoles)
          .values({
            projectId: null,
            name: role.name,
            labelFr: role.label.fr,
            labelEn: role.label.en,
            permissions: [...role.permissions],
            builtin: true,
          });
      }
    }
    await tx.insert(stages).values([...defaultStages]).onConflictDoNothing({ target: stages.slug });
    await tx.insert(zones).values(defaultZone).onConflictDoNothing({ target: zones.slug });
    const [zone] = await tx.select({ id: zones.id }).from(zones).where(eq(zones.slug, defaultZone.slug)).limit(1);
    if (zone)
      await tx
        .insert(clusters)
        .values({ ...defaultCluster, zoneId: zone.id })
        .onConflictDoNothing({ target: clusters.slug });
    const [anyPolicy] = await tx.select({ id: usagePolicies.id }).from(usagePolicies).limit(1);
    if (!anyPolicy)
      await tx.insert(usagePolicies).values(firstUsagePolicy).onConflictDoNothing({ target: usagePolicies.version });
  });
}
