// May a project place an environment on a cluster? The zone must accept the project's data sensitivity, and a
// dedicated cluster only hosts the projects it was dedicated to. Pure; the API turns a refusal into a 422.
import { sensitivityAccepted, sensitivityLevels, type SensitivityLevel } from './permissions.ts';

export interface PlacementInput {
  project: { id: string; dataSensitivity: string };
  cluster: { kind: 'internal' | 'external' | 'dedicated'; allowedProjectIds: readonly string[] };
  zone: { slug: string; maxSensitivity: string };
}

export type PlacementRefusal =
  | { reason: 'sensitivityNotAccepted'; message: { fr: string; en: string } }
  | { reason: 'dedicatedToOtherProjects'; message: { fr: string; en: string } };

function isLevel(value: string): value is SensitivityLevel {
  return (sensitivityLevels as readonly string[]).includes(value);
}

/** Returns undefined when the placement is allowed, otherwise why not. */
export function placementRefusal(input: PlacementInput): PlacementRefusal | undefined {
  const { project, cluster, zone } = input;
  // An unknown level on either side is treated as the strictest case: refuse rather than guess.
  if (
    !isLevel(zone.maxSensitivity) ||
    !isLevel(project.dataSensitivity) ||
    !sensitivityAccepted(zone.maxSensitivity, project.dataSensitivity)
  ) {
    return {
      reason: 'sensitivityNotAccepted',
      message: {
        fr: `La zone « ${zone.slug} » accepte au plus des données « ${zone.maxSensitivity} » ; le projet est classé « ${project.dataSensitivity} ».`,
        en: `Zone "${zone.slug}" accepts data up to "${zone.maxSensitivity}"; the project is classified "${project.dataSensitivity}".`,
      },
    };
  }
  if (cluster.kind === 'dedicated' && !cluster.allowedProjectIds.includes(project.id)) {
    return {
      reason: 'dedicatedToOtherProjects',
      message: {
        fr: 'Ce cluster est dédié à d’autres projets.',
        en: 'This cluster is dedicated to other projects.',
      },
    };
  }
  return undefined;
}
