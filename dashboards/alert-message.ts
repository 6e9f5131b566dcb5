/**
 * What a Slack alert says: which alert, which service in which environment, what to do (the rule's
 * runbook text and link), and where to look (the alarm's tile on the alarms dashboard).
 *
 * Grafana's Slack integration renders its `title` and `text` settings (grafana/alerting,
 * receivers/slack/config.go) as Go templates over Grafana's notification data, `ExtendedData` and
 * `ExtendedAlert` in grafana/alerting templates/template_data.go. Prometheus Alertmanager's own
 * `slack.default.text` (template/default.tmpl, loaded by Grafana before its own defaults) is empty,
 * which is why the previous `{{ template "slack.default.text" . }}` posted no body at all.
 *
 * Only fields those structs define are used (checked by ./alert-message.test.ts):
 * - `.GroupLabels` (the policy groups by env and service), `.Status`, `.Alerts.Firing` and
 *   `.Alerts.Resolved` (ExtendedAlerts' methods);
 * - per alert: `.Labels` (the rule's labels, with `alertname`, the rule title, added by Grafana),
 *   `.Annotations` (the rule's, without `__private__` ones), `.PanelURL` (from the rule's
 *   `__dashboardUid__` and `__panelId__` annotations, set only when Grafana knows its external
 *   URL), `.GeneratorURL` (the rule's page, always set) and `.SilenceURL`.
 *
 * No `$` anywhere: Grafana expands `$VAR` in provisioning files, which would eat a template variable.
 */

/** The annotation holding the runbook's address; Grafana's rule editor shows it as "Runbook URL". */
export const RUNBOOK_URL_ANNOTATION = 'runbook_url';

/** Where responders start: the incident runbook's first step (what runs, since when). */
export const INCIDENT_RUNBOOK_URL =
  'https://github.com/nationalarchives/tdr-platform/blob/main/docs/runbook-incidents.md#1-what-is-running-and-since-when';

/** The message title: one notification per env and service (GROUPING in ./alerting.ts). */
export const SLACK_TITLE = '{{ .GroupLabels.service }} in {{ .GroupLabels.env }}: {{ .Status }}';

/** The tile of the alarm, or the rule's own page when Grafana cannot build a panel link. */
const WHERE_TO_LOOK = 'Dashboard: {{ if .PanelURL }}{{ .PanelURL }}{{ else }}{{ .GeneratorURL }}{{ end }}\n';

export const SLACK_TEXT = [
  '{{ range .Alerts.Firing }}',
  ':rotating_light: *Firing: {{ .Labels.alertname }}* ({{ .Labels.severity }}, {{ .Labels.service }} in {{ .Labels.env }})\n',
  '{{ .Annotations.summary }}\n',
  '{{ .Annotations.description }}\n',
  `Runbook: {{ .Annotations.${RUNBOOK_URL_ANNOTATION} }}\n`,
  WHERE_TO_LOOK,
  'Silence: {{ .SilenceURL }}\n',
  '{{ end }}',
  '{{ range .Alerts.Resolved }}',
  ':white_check_mark: *Resolved: {{ .Labels.alertname }}* ({{ .Labels.service }} in {{ .Labels.env }})\n',
  '{{ .Annotations.summary }}\n',
  WHERE_TO_LOOK,
  '{{ end }}',
].join('');

/** The Slack contact point's message settings. */
export function slackMessageSettings(): Record<string, string> {
  return { title: SLACK_TITLE, text: SLACK_TEXT };
}
