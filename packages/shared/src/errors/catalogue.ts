import { defineError } from './define-error.ts';

/*
 * The one catalogue of error codes. docs/errors.md is generated from this file
 * (`npm run docs:errors`) and CI fails when it is stale. Codes are stable: never rename one,
 * add a new one instead.
 */

// Generic request handling
export const ERR_INTERNAL = defineError(
  'ERR_INTERNAL',
  500,
  'Internal error (request {requestId})',
  'Retry later; if it persists, report the request id to the operator, who finds it in the server log.',
);
export const ERR_REQUEST_INVALID = defineError(
  'ERR_REQUEST_INVALID',
  400,
  'Request is invalid: {reason}',
  'Fix the fields listed in details and send again.',
);
export const ERR_REQUEST_BODY_TOO_LARGE = defineError(
  'ERR_REQUEST_BODY_TOO_LARGE',
  413,
  'Request body exceeds {limit} bytes',
  'Send smaller requests (split batches).',
);
export const ERR_REQUEST_UNSUPPORTED_MEDIA = defineError(
  'ERR_REQUEST_UNSUPPORTED_MEDIA',
  415,
  'Unsupported content type or encoding: {type}',
  'Send application/json, optionally with Content-Encoding: gzip.',
);
export const ERR_NOT_FOUND = defineError(
  'ERR_NOT_FOUND',
  404,
  'No route {method} {url}',
  'Check the path against the API reference at /docs.',
);
export const ERR_DASHBOARD_NOT_BUILT = defineError(
  'ERR_DASHBOARD_NOT_BUILT',
  503,
  'The dashboard has not been built in {dir}: run `npm run build -w @sightline/dashboard`',
  'Build it and reload; `npm start` builds it by itself when the build is missing or older than its sources.',
);
export const ERR_RATE_LIMITED = defineError(
  'ERR_RATE_LIMITED',
  429,
  'Too many requests for this {scope}; retry after {retryAfterSec} s',
  'Wait for the Retry-After header, then send again; SDKs do this by themselves.',
);
export const ERR_SERVER_SHUTTING_DOWN = defineError(
  'ERR_SERVER_SHUTTING_DOWN',
  503,
  'Server is shutting down',
  'Retry after the Retry-After header; the server is restarting.',
);

// Authentication and authorisation
export const ERR_AUTH_REQUIRED = defineError(
  'ERR_AUTH_REQUIRED',
  401,
  'Authentication required',
  'Log in, or send Authorization: Bearer <token>.',
);
export const ERR_AUTH_INVALID_CREDENTIALS = defineError(
  'ERR_AUTH_INVALID_CREDENTIALS',
  401,
  'Invalid email or password',
  'Check the credentials; an admin can reset a password with `sightline user reset`.',
);
export const ERR_AUTH_TOKEN_INVALID = defineError(
  'ERR_AUTH_TOKEN_INVALID',
  401,
  'Token is invalid, expired or revoked',
  'Create a new token with `sightline token create` or log in again.',
);
export const ERR_AUTH_FORBIDDEN = defineError(
  'ERR_AUTH_FORBIDDEN',
  403,
  'Missing permission {permission}',
  'Ask an admin for a role that grants this permission, or for access to this project.',
);

export const ERR_AUTH_SCOPE_RESTRICTED = defineError(
  'ERR_AUTH_SCOPE_RESTRICTED',
  403,
  'This covers all of project {projectId}; your access to it is limited to some rows',
  'Alerts and anomaly findings show numbers of the whole project, so they are for people who may see all of it. Ask an admin.',
);

// Share links
export const ERR_SHARE_INVALID = defineError(
  'ERR_SHARE_INVALID',
  401,
  'This share link is unknown, was revoked, or its creator no longer has access',
  'Ask the person who shared it for a new link.',
);
export const ERR_SHARE_EXPIRED = defineError(
  'ERR_SHARE_EXPIRED',
  401,
  'This share link expired at {expiredAt}',
  'Ask the person who shared it for a new link; links last 1 hour to 90 days.',
);
export const ERR_SHARE_NOT_FOUND = defineError(
  'ERR_SHARE_NOT_FOUND',
  404,
  'Share link {share} not found in this project',
  'List the project share links (GET /api/v1/projects/:projectId/shares) for their ids.',
);
export const ERR_SHARE_PATH_INVALID = defineError(
  'ERR_SHARE_PATH_INVALID',
  400,
  'A share link must point at a dashboard page of project {project}: {reason}',
  'Share from the page itself; the path looks like /p/<project>/<page>?<filters>.',
);

// Ingest
export const ERR_INGEST_KEY_MISSING = defineError(
  'ERR_INGEST_KEY_MISSING',
  401,
  'No write key: send the X-Sightline-Key header or a write_key body field',
  'Copy the project write key from `sightline project create` or the settings page.',
);
export const ERR_INGEST_KEY_INVALID = defineError(
  'ERR_INGEST_KEY_INVALID',
  401,
  'Unknown or revoked write key',
  'Use the current write key of the project; rotated keys stop working after their grace period.',
);
export const ERR_INGEST_SIGNATURE_INVALID = defineError(
  'ERR_INGEST_SIGNATURE_INVALID',
  401,
  'Body signature is missing, malformed, stale or wrong: {reason}',
  'Sign the raw body with the project secret key: X-Sightline-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of "t.body">.',
);
export const ERR_INGEST_BATCH_TOO_LARGE = defineError(
  'ERR_INGEST_BATCH_TOO_LARGE',
  413,
  'Batch exceeds {limit} events',
  'Split the batch; SDKs halve the batch on 413.',
);
export const ERR_INGEST_BATCH_INVALID = defineError(
  'ERR_INGEST_BATCH_INVALID',
  400,
  'No event in the batch was valid',
  'Each rejected item in details names its index and code.',
);
export const ERR_INGEST_EVENT_INVALID = defineError(
  'ERR_INGEST_EVENT_INVALID',
  400,
  'Event is invalid: {reason}',
  'Fix the event shape (docs/events.md).',
);
export const ERR_INGEST_EVENT_TOO_LARGE = defineError(
  'ERR_INGEST_EVENT_TOO_LARGE',
  413,
  'Event exceeds {limit} bytes',
  'Move large payloads out of events; keep properties small.',
);
export const ERR_INGEST_EVENT_TIME_INVALID = defineError(
  'ERR_INGEST_EVENT_TIME_INVALID',
  400,
  'Event time {ts} is outside the accepted range',
  'Send ts as epoch milliseconds or ISO-8601, not more than a day in the future.',
);
export const ERR_INGEST_QUEUE_FULL = defineError(
  'ERR_INGEST_QUEUE_FULL',
  503,
  'Ingest queue is full; retry after {retryAfterSec} s',
  'Back off and retry after the Retry-After header; nothing from this request was stored.',
);

// Imports
export const ERR_IMPORT_FORMAT_INVALID = defineError(
  'ERR_IMPORT_FORMAT_INVALID',
  400,
  'Cannot read the import file: {reason}',
  'Send CSV with a header row or NDJSON, UTF-8 (docs/events.md lists the columns).',
);
export const ERR_IMPORT_ROW_INVALID = defineError(
  'ERR_IMPORT_ROW_INVALID',
  400,
  'Row is invalid: {reason}',
  'Fix the row named in the error report and import the file again; imports are idempotent.',
);
export const ERR_IMPORT_ROWS_REJECTED = defineError(
  'ERR_IMPORT_ROWS_REJECTED',
  422,
  '{rejected} of {rows} rows were rejected; the valid rows were imported',
  'Fix the rows in the error report (`sightline import --errors-out` writes all of them) and import the file again; imports are idempotent.',
);
export const ERR_IMPORT_KIND_UNKNOWN = defineError(
  'ERR_IMPORT_KIND_UNKNOWN',
  400,
  'Unknown import kind {kind}',
  'Use one of: orders, products, inventory.',
);

// Projects, keys, users and settings
export const ERR_PROJECT_NOT_FOUND = defineError(
  'ERR_PROJECT_NOT_FOUND',
  404,
  'Project {project} not found',
  'List projects with GET /api/v1/projects.',
);
export const ERR_TOKEN_NOT_FOUND = defineError(
  'ERR_TOKEN_NOT_FOUND',
  404,
  'API token {token} not found',
  'Check the token id (returned with the token when it was created, and in the audit log).',
);
export const ERR_PROJECT_EXISTS = defineError(
  'ERR_PROJECT_EXISTS',
  409,
  'A project with id {project} already exists',
  'Pick another name or id.',
);
export const ERR_USER_NOT_FOUND = defineError(
  'ERR_USER_NOT_FOUND',
  404,
  'User {user} not found',
  'Check the email; list users with GET /api/v1/users.',
);
export const ERR_USER_EXISTS = defineError(
  'ERR_USER_EXISTS',
  409,
  'A user with email {email} already exists',
  'Reset the existing user instead: `sightline user reset`.',
);
export const ERR_USER_PASSWORD_WEAK = defineError(
  'ERR_USER_PASSWORD_WEAK',
  400,
  'Password must be at least {min} characters',
  'Choose a longer password.',
);

// Storage
export const ERR_STORE_UNAVAILABLE = defineError(
  'ERR_STORE_UNAVAILABLE',
  503,
  'Event store is unavailable',
  'Check disk space and the server log; /readyz shows the store state.',
);
export const ERR_STORE_LOCKED = defineError(
  'ERR_STORE_LOCKED',
  409,
  'The data directory {dataDir} is in use by a running server (pid {pid})',
  'Stop the server first, or run the command against the server over HTTP.',
);

// Configuration
export const ERR_CONFIG_INVALID = defineError(
  'ERR_CONFIG_INVALID',
  500,
  'Configuration is invalid: {problems}',
  'Fix every listed problem in the environment, config file or flags, then start again.',
);

// Retention and deletion
export const ERR_RETENTION_INVALID = defineError(
  'ERR_RETENTION_INVALID',
  400,
  'Retention of {days} days is outside 1..3650',
  'Choose a retention between 1 and 3650 days.',
);

// Metrics and queries
export const ERR_QUERY_INVALID = defineError(
  'ERR_QUERY_INVALID',
  400,
  'Query is invalid: {reason}',
  'Fix the parameter named in the message; docs/api.md lists every report’s parameters.',
);
export const ERR_QUERY_METRIC_UNKNOWN = defineError(
  'ERR_QUERY_METRIC_UNKNOWN',
  404,
  'Unknown metric {metric}',
  'Use a metric id from GET /api/v1/metrics (docs/metrics.md).',
);
export const ERR_QUERY_DIMENSION_UNSUPPORTED = defineError(
  'ERR_QUERY_DIMENSION_UNSUPPORTED',
  400,
  'Dimension {dimension} is not available for {subject}',
  'Pick one of the dimensions listed for the metric in docs/metrics.md, or filter on an event property instead. When your row-level scope needs it, this data cannot be shown within your scope: ask an admin.',
);
export const ERR_QUERY_RANGE_INVALID = defineError(
  'ERR_QUERY_RANGE_INVALID',
  400,
  'Time range is invalid: {reason}',
  'Give from < to as ISO-8601 instants or local dates (YYYY-MM-DD, in the project time zone), at most {maxDays} days apart.',
);
export const ERR_QUERY_TOO_MANY_BUCKETS = defineError(
  'ERR_QUERY_TOO_MANY_BUCKETS',
  400,
  'The range would have {buckets} buckets at {granularity} granularity; at most {max}',
  'Use a coarser granularity or a shorter range.',
);
export const ERR_SEGMENT_NOT_FOUND = defineError(
  'ERR_SEGMENT_NOT_FOUND',
  404,
  'Segment {segmentId} not found',
  'List segments with GET /api/v1/projects/{projectId}/segments.',
);

// Saved insights and dashboards
export const ERR_INSIGHT_NOT_FOUND = defineError(
  'ERR_INSIGHT_NOT_FOUND',
  404,
  'Insight {insightId} not found',
  'List saved insights with GET /api/v1/projects/{projectId}/insights.',
);
export const ERR_INSIGHT_KIND_UNKNOWN = defineError(
  'ERR_INSIGHT_KIND_UNKNOWN',
  400,
  'Unknown insight kind {kind}; use one of {kinds}',
  'Save an insight of a report the analysis page builds: trends, funnel, retention or paths.',
);
export const ERR_INSIGHT_PARAMS_INVALID = defineError(
  'ERR_INSIGHT_PARAMS_INVALID',
  400,
  'The params of this {kind} insight are invalid: {reason}',
  'Params are the report request (docs/api.md); fix the parameter named in details.',
);
export const ERR_INSIGHT_NOT_OWNER = defineError(
  'ERR_INSIGHT_NOT_OWNER',
  403,
  'Only its owner or an admin can change or delete {target}',
  'Ask the owner or an admin, or save a copy of your own.',
);
export const ERR_INSIGHT_WATCHED = defineError(
  'ERR_INSIGHT_WATCHED',
  409,
  'Insight {insightId} is watched by alert rules ({rules}); deleting it or changing its kind would leave them watching nothing',
  'Delete those rules or point them at another insight or a metric first (Alerts → Rules).',
);
export const ERR_INSIGHT_DASHBOARD_NOT_FOUND = defineError(
  'ERR_INSIGHT_DASHBOARD_NOT_FOUND',
  404,
  'Dashboard {dashboardId} not found',
  'List the dashboards you can see with GET /api/v1/projects/{projectId}/dashboards; a dashboard that is not shared is visible only to its owner and admins.',
);
export const ERR_INSIGHT_TILE_INVALID = defineError(
  'ERR_INSIGHT_TILE_INVALID',
  400,
  'Tile {index} names insight {insightId}, which is not saved in this project',
  'Tiles show saved insights of the same project: save the insight first, or remove the tile.',
);

// Monitoring: probe targets, their history, the /metrics endpoint
export const ERR_MONITORING_TARGET_NOT_FOUND = defineError(
  'ERR_MONITORING_TARGET_NOT_FOUND',
  404,
  'Monitoring target {targetId} not found',
  'List the targets with GET /api/v1/monitoring/targets; a deleted target takes its history with it.',
);
export const ERR_MONITORING_TARGET_NAME_TAKEN = defineError(
  'ERR_MONITORING_TARGET_NAME_TAKEN',
  409,
  'A monitoring target named {name} already exists',
  'Pick another name, or change the existing target with PATCH /api/v1/monitoring/targets/{targetId}.',
);
export const ERR_MONITORING_TARGET_INVALID = defineError(
  'ERR_MONITORING_TARGET_INVALID',
  400,
  'Monitoring target is invalid: {reason}',
  'Fix the field named in the message; the monitoring documentation lists the settings of each probe kind (http, tcp, postgres, mysql).',
);
export const ERR_MONITORING_METRICS_TOKEN_INVALID = defineError(
  'ERR_MONITORING_METRICS_TOKEN_INVALID',
  401,
  'GET /metrics needs the metrics bearer token',
  'Send Authorization: Bearer <metrics token>; in prometheus.yml set authorization.credentials of the scrape job to it.',
);

// Alert notification channels
export const ERR_ALERT_CHANNEL_MASK_UNRESOLVED = defineError(
  'ERR_ALERT_CHANNEL_MASK_UNRESOLVED',
  400,
  'The {field} of this channel holds the mask {mask}, but no stored value stands behind it',
  'Type the value in full: the mask only keeps a value already saved on this channel, for the same channel kind.',
);

// Alerting: rules, alerts, silences, channels
export const ERR_ALERT_RULE_NOT_FOUND = defineError(
  'ERR_ALERT_RULE_NOT_FOUND',
  404,
  'Alert rule {ruleId} not found in this project',
  'List the rules with GET /api/v1/projects/{projectId}/alerts/rules.',
);
export const ERR_ALERT_RULE_INVALID = defineError(
  'ERR_ALERT_RULE_INVALID',
  400,
  'Alert rule is invalid: {reason}',
  'Fix the field named in the message; docs/alerts.md lists what each condition takes.',
);
export const ERR_ALERT_NOT_FOUND = defineError(
  'ERR_ALERT_NOT_FOUND',
  404,
  'Alert {alertId} not found in this project',
  'List the alerts with GET /api/v1/projects/{projectId}/alerts.',
);
export const ERR_ALERT_NOT_FIRING = defineError(
  'ERR_ALERT_NOT_FIRING',
  409,
  'Alert {alertId} is {state}; only a firing alert can be acknowledged',
  'Nothing to do: a pending alert may still go away, and a resolved one needs no acknowledgement.',
);
export const ERR_ALERT_SILENCE_NOT_FOUND = defineError(
  'ERR_ALERT_SILENCE_NOT_FOUND',
  404,
  'Silence {silenceId} not found in this project',
  'List the silences with GET /api/v1/projects/{projectId}/alerts/silences.',
);
export const ERR_ALERT_SILENCE_INVALID = defineError(
  'ERR_ALERT_SILENCE_INVALID',
  400,
  'Silence is invalid: {reason}',
  'Give at least one matcher, valid regular expressions, and an end after the start.',
);
export const ERR_ALERT_CHANNEL_NOT_FOUND = defineError(
  'ERR_ALERT_CHANNEL_NOT_FOUND',
  404,
  'Notification channel {channelId} not found in this project',
  'List the channels with GET /api/v1/projects/{projectId}/alerts/channels.',
);

// --- Business anomalies (suspicious orders, inventory, commissions) and their review queue ---
export const ERR_ANOMALY_NOT_FOUND = defineError(
  'ERR_ANOMALY_NOT_FOUND',
  404,
  'Anomaly finding {findingId} not found in project {projectId}',
  'List the findings with GET /api/v1/projects/{projectId}/anomalies.',
);

// --- Scheduled reports (definitions, generation, archive, delivery) ---
export const ERR_REPORT_RUN_NOT_FOUND = defineError(
  'ERR_REPORT_RUN_NOT_FOUND',
  404,
  'Report {runId} not found in project {projectId}',
  'List the archive with GET /api/v1/projects/{projectId}/report-runs; old reports expire.',
);
export const ERR_REPORT_FILE_NOT_FOUND = defineError(
  'ERR_REPORT_FILE_NOT_FOUND',
  404,
  'Report {runId} has no {format} file',
  'Wait until the report is done, or regenerate it with the format enabled in its definition.',
);
export const ERR_REPORT_PERIOD_INVALID = defineError(
  'ERR_REPORT_PERIOD_INVALID',
  400,
  'Cannot generate a {kind} report for {date}: {reason}',
  'Give a local date YYYY-MM-DD inside a period that has started; omit it for the last complete period.',
);
export const ERR_REPORT_QUEUE_FULL = defineError(
  'ERR_REPORT_QUEUE_FULL',
  429,
  '{queued} reports are waiting to be generated',
  'Try again in a minute, when the queued reports are done.',
);

// --- Background exports (CSV / XLSX files, expiring download links) ---
export const ERR_EXPORT_NOT_FOUND = defineError(
  'ERR_EXPORT_NOT_FOUND',
  404,
  'Export {exportId} not found in project {projectId}',
  'List your exports with GET /api/v1/projects/{projectId}/exports; you see only your own unless you are an admin.',
);
export const ERR_EXPORT_QUEUE_FULL = defineError(
  'ERR_EXPORT_QUEUE_FULL',
  429,
  '{queued} exports are already waiting {scope}; retry after {retryAfterSec} s',
  'Wait for the Retry-After header (or for your queued exports to finish, or cancel one), then ask again.',
);
export const ERR_EXPORT_NOT_READY = defineError(
  'ERR_EXPORT_NOT_READY',
  409,
  'Export {exportId} is {status}; only a finished export can be downloaded',
  'Poll GET /api/v1/projects/{projectId}/exports/{exportId} until its status is done; a failed one says why in error.',
);
export const ERR_EXPORT_NOT_CANCELABLE = defineError(
  'ERR_EXPORT_NOT_CANCELABLE',
  409,
  'Export {exportId} is {status}; only a queued or running export can be canceled',
  'Nothing to cancel; delete it with DELETE /api/v1/projects/{projectId}/exports/{exportId} to remove its file.',
);
export const ERR_EXPORT_EXPIRED = defineError(
  'ERR_EXPORT_EXPIRED',
  410,
  'Export {exportId} expired at {expiredAt}; its file is deleted',
  'Exports are kept for a limited time (SIGHTLINE_EXPORT_RETENTION_HOURS): start the export again.',
);
export const ERR_EXPORT_TOO_LARGE = defineError(
  'ERR_EXPORT_TOO_LARGE',
  413,
  'The export would have {rows} rows; at most {max}',
  'Narrow the time range or add filters, or split the export into several ranges.',
);
export const ERR_EXPORT_INTERRUPTED = defineError(
  'ERR_EXPORT_INTERRUPTED',
  503,
  'The server stopped while this export was {status}',
  'Start the export again; exports do not survive a restart.',
);
export const ERR_EXPORT_FAILED = defineError(
  'ERR_EXPORT_FAILED',
  500,
  'The export failed while writing its file (export {exportId})',
  'Try again; if it fails again, the operator finds the cause under this export id in the server log.',
);
export const ERR_EXPORT_LINK_INVALID = defineError(
  'ERR_EXPORT_LINK_INVALID',
  404,
  'This download link is not valid (wrong token, its export was deleted, or its maker was disabled)',
  'Ask whoever shared the link for a new one; a signed-in user can make one with POST /api/v1/projects/{projectId}/exports/{exportId}/links.',
);
export const ERR_EXPORT_LINK_EXPIRED = defineError(
  'ERR_EXPORT_LINK_EXPIRED',
  410,
  'This download link expired at {expiredAt}',
  'Ask whoever shared the link for a new one; links last 24 hours unless made for longer (at most 7 days).',
);
export const ERR_REPORT_SCOPE_RESTRICTED = defineError(
  'ERR_REPORT_SCOPE_RESTRICTED',
  403,
  'Reports cover all of project {projectId}; your access to it is limited to some rows',
  'Ask an admin for a report, or export the views you can see from the dashboard.',
);

// --- Report renderers (XLSX, HTML email, PDF, chat markdown) ---
export const ERR_REPORT_PDF_FAILED = defineError(
  'ERR_REPORT_PDF_FAILED',
  500,
  'Could not render the report as PDF ({step}): {reason}',
  'Check that Chromium is installed (Debian package chromium, /usr/bin/chromium) or point the renderer at it; the step and reason say what failed.',
);
export const ERR_REPORT_CHAT_BUDGET_TOO_SMALL = defineError(
  'ERR_REPORT_CHAT_BUDGET_TOO_SMALL',
  500,
  'A chat message of at most {maxBytes} bytes cannot hold the report link ({linkBytes} bytes)',
  'Use a shorter public URL for Sightline, or a chat channel that accepts longer messages.',
);
export const ERR_REPORT_LINK_INVALID = defineError(
  'ERR_REPORT_LINK_INVALID',
  500,
  'The report link {url} is not an http(s) URL',
  "Set Sightline's public URL to an http:// or https:// address.",
);

// --- Alert rules on saved insights (trends and funnel insights watched like catalog metrics) ---
export const ERR_ALERT_INSIGHT_NOT_FOUND = defineError(
  'ERR_ALERT_INSIGHT_NOT_FOUND',
  404,
  'The rule watches saved insight {insightId}, which is not saved in this project',
  'List the saved insights with GET /api/v1/projects/{projectId}/insights; if it was deleted, point the rule at another insight or a catalog metric, or delete the rule.',
);
export const ERR_ALERT_INSIGHT_UNSUPPORTED = defineError(
  'ERR_ALERT_INSIGHT_UNSUPPORTED',
  400,
  'Insight {insightId} is a {kind} insight; alert rules can watch trends and funnel insights only',
  'Watch a trends insight (one of its series) or a funnel insight (its conversion); for retention or paths, alert on a catalog metric instead.',
);
