// The component catalogue (issue 17): Helm charts and host-run operators curated by platform administrators,
// checked by the same rules as teams' code and published for teams. This file is the catalogue's surface for the
// rest of the product (services per environment, the API, the CLI); see README.md for the model.
export { checkChartVersion, imagesOf, type CatalogueFinding, type CatalogueVerdict, type ChartCheckRequest, type ChartCheckResult } from './check.ts';
export { chartRepositoryPath, chartRepositoryUrl } from './repository-url.ts';
export { archiveLimits, ChartArchiveError, digestOf, readChartArchive, extractChart, type ChartArchive } from './chart-archive.ts';
export { chartMetadataOf, isSemver, type ChartMetadata } from './chart-metadata.ts';
export { advisoryHits, imageAdvisories, type AdvisoryHit } from './advisories.ts';
