/** Public entry points of the webhook integrations (inbound push hooks, outgoing notifications, commit statuses). */
export { receivePushWebhook, parsePushPayload, verifyGithubSignature, verifyGitlabToken, type Forge, type PushEvent, type WebhookOutcome, type WebhookRequest } from './inbound.ts';
export { InMemoryDeliveryLog, type DeliveryLog } from './delivery-log.ts';
export { sendNotification, signBody, SIGNATURE_HEADER, type DeliveryAttempt, type DeliveryReport, type NotificationRequest } from './outgoing.ts';
export { GitHubStatusClient, GitLabStatusClient, type CommitState, type CommitStatus, type CommitStatusClient, type StatusResult } from './commit-status.ts';
