// Alert rules on the app's own OpenTelemetry metrics (the customMetrics table of Application Insights), and the
// action group that mails the operator. Deployed only when an alert email is given. docs/deploy.md says what each
// alert means and what to do. The metric and tag names are the ones in README.md ("Metrics").

param appInsightsName string
param location string
@description('Tags for every resource (azd-env-name at least).')
param tags { *: string }

@minLength(3)
@description('Where alerts are mailed.')
param alertEmail string

@description('Prefix of the rule names.')
param namePrefix string

type alertRule = {
  @description('Suffix of the rule name.')
  name: string
  title: string
  description: string
  @minValue(0)
  @maxValue(4)
  severity: int
  @description('ISO 8601 window the query looks back over.')
  windowSize: string
  query: string
  @description('The column the threshold is compared with.')
  measure: string
  aggregation: 'Average' | 'Count' | 'Maximum' | 'Minimum' | 'Total'
  threshold: int
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-operators'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'webhooks'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var rules alertRule[] = [
  {
    name: 'sweep-failed'
    title: 'Webhook sweep failed or checked nothing'
    description: 'A sweep threw (status failed) or checked no bot because the webhook URL was unavailable (status url_unavailable).'
    severity: 1
    windowSize: 'PT15M'
    query: '''
customMetrics
| where name == "webhook_checker.sweep.duration"
| extend status = tostring(customDimensions["status"])
| where status in ("failed", "url_unavailable")
| summarize sweeps = sum(valueCount)
'''
    measure: 'sweeps'
    aggregation: 'Total'
    threshold: 0
  }
  {
    name: 'token-rejected'
    title: 'Telegram rejects a bot token'
    description: 'At least one active bot has a token Telegram answers 401/404 for; its webhook is not maintained until the token is replaced.'
    severity: 2
    windowSize: 'PT15M'
    query: '''
customMetrics
| where name == "webhook_checker.bots" and tostring(customDimensions["state"]) == "token_rejected"
| summarize bots = max(value)
'''
    measure: 'bots'
    aggregation: 'Maximum'
    threshold: 0
  }
  {
    name: 'bots-failing-30m'
    title: 'Bots failing for more than 30 minutes'
    description: 'Every count of the fleet in the last 30 minutes found at least one bot whose check failed.'
    severity: 2
    windowSize: 'PT30M'
    query: '''
customMetrics
| where name == "webhook_checker.bots" and tostring(customDimensions["state"]) == "failing"
| summarize bots = min(value)
'''
    measure: 'bots'
    aggregation: 'Minimum'
    threshold: 0
  }
  {
    name: 'receiver-5xx'
    title: 'Receiver answers Telegram with 5xx'
    description: 'More than 5% of at least 20 deliveries in 15 minutes were answered 5xx (the update queue unreachable, or a crash); Telegram redelivers, but its backlog grows.'
    severity: 1
    windowSize: 'PT15M'
    query: '''
customMetrics
| where name == "webhook_receiver.deliveries"
| extend status = toint(customDimensions["http.response.status_code"])
| summarize total = sum(value), failed = sumif(value, status >= 500)
| where total >= 20
| extend percent5xx = 100.0 * failed / total
'''
    measure: 'percent5xx'
    aggregation: 'Maximum'
    threshold: 5
  }
  {
    name: 'contested'
    title: 'Contested webhooks'
    description: 'At least one bot\'s webhook keeps being moved away by someone else holding its token.'
    severity: 2
    windowSize: 'PT15M'
    query: '''
customMetrics
| where name == "webhook_checker.bots" and tostring(customDimensions["state"]) == "contested"
| summarize bots = max(value)
'''
    measure: 'bots'
    aggregation: 'Maximum'
    threshold: 0
  }
]

resource alerts 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in rules: {
    name: '${namePrefix}-${rule.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: rule.title
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        appInsights.id
      ]
      evaluationFrequency: 'PT5M'
      windowSize: rule.windowSize
      criteria: {
        allOf: [
          {
            query: rule.query
            metricMeasureColumn: rule.measure
            timeAggregation: rule.aggregation
            operator: 'GreaterThan'
            threshold: rule.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      // Resolved by itself once the condition clears, so a mail also says when it is over.
      autoMitigate: true
      actions: {
        actionGroups: [
          operators.id
        ]
      }
    }
  }
]

output actionGroupName string = operators.name
output alertRuleNames string[] = [for (rule, i) in rules: alerts[i].name]
