/**
 * Delivers an account's alarm topic to a Slack channel, so a CloudWatch alarm reaches a person even
 * when Grafana (and its alerting) is down: the two paths share no part but the alarm.
 *
 * AWS Chatbot rather than a small function of ours: it subscribes to the topic itself, formats
 * CloudWatch alarm notifications (name, reason, a graph of the metric) without code, holds no Slack
 * webhook secret in the account (the workspace is authorised once, in the Chatbot console, and
 * only its id is configuration), and leaves nothing of ours to deploy, patch or watch. A function
 * would be one more thing that can fail silently on the path that exists for when things fail.
 *
 * Chatbot's API is global, served from us-east-2 (its troubleshooting guide), so the channel
 * configuration is managed there; it subscribes to topics in any region.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { createRole, serviceTrust, type PolicyStatement } from './iam';

export const CHATBOT_REGION = 'us-east-2';
/** What people in the channel may do through Chatbot: read CloudWatch, nothing else. */
export const CHATBOT_GUARDRAIL_POLICY = 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess';

export interface AlarmChatArgs {
  readonly env: EnvironmentName;
  readonly accountId: string;
  readonly region: string;
  /** The Slack workspace (team) id Chatbot was authorised for, `T…`. */
  readonly slackWorkspaceId: string;
  /** The channel alarms are posted to, `C…` (Chatbot must be invited to it). */
  readonly slackChannelId: string;
  readonly topicArns: ReadonlyArray<pulumi.Input<string>>;
}

/** What Chatbot itself may read to show an alarm: its metric's graph and the alarm's history. */
export function chatbotStatements(args: Pick<AlarmChatArgs, 'accountId' | 'region'>): PolicyStatement[] {
  return [
    {
      Sid: 'GraphMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics'],
      Resource: '*',
    },
    {
      Sid: 'ReadAlarms',
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
      Resource: `arn:aws:cloudwatch:${args.region}:${args.accountId}:alarm:tdr-*`,
    },
  ];
}

export function createAlarmChat(
  name: string,
  args: AlarmChatArgs,
  parent: pulumi.Resource,
): aws.chatbot.SlackChannelConfiguration {
  const role = createRole(
    `${name}-role`,
    {
      roleName: naming.chatbotRole(args.env),
      description: `AWS Chatbot posts the ${args.env} alarms to Slack and reads their metrics`,
      trust: [serviceTrust('chatbot.amazonaws.com', args.accountId)],
      statements: chatbotStatements(args),
    },
    parent,
  );
  return new aws.chatbot.SlackChannelConfiguration(
    `${name}-slack`,
    {
      configurationName: naming.chatbotSlackConfiguration(args.env),
      iamRoleArn: role.arn,
      slackTeamId: args.slackWorkspaceId,
      slackChannelId: args.slackChannelId,
      snsTopicArns: [...args.topicArns],
      guardrailPolicyArns: [CHATBOT_GUARDRAIL_POLICY],
      loggingLevel: 'ERROR',
      region: CHATBOT_REGION,
    },
    { parent },
  );
}

export class AlarmChat extends pulumi.ComponentResource {
  readonly configurationArn: pulumi.Output<string>;

  constructor(name: string, args: AlarmChatArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:monitoring:AlarmChat', name, {}, opts);
    if (!/^T[A-Z0-9]{6,}$/.test(args.slackWorkspaceId))
      throw new Error(`AlarmChat ${name}: slackWorkspaceId must be a Slack workspace id (T…)`);
    if (!/^[CG][A-Z0-9]{6,}$/.test(args.slackChannelId))
      throw new Error(`AlarmChat ${name}: slackChannelId must be a Slack channel id (C…)`);
    if (args.topicArns.length === 0) throw new Error(`AlarmChat ${name}: no topic to deliver`);
    this.configurationArn = createAlarmChat(name, args, this).chatConfigurationArn;
    this.registerOutputs({ configurationArn: this.configurationArn });
  }
}
