/**
 * The public load balancer's facts, as plain data (no Pulumi): what infra's component builds
 * (infra/components/load-balancer.ts, infra/accounts/workload.ts) and the sandbox recreates on moto.
 */

/** TLS 1.3 and 1.2 only, forward secrecy only. */
export const MODERN_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** What the HTTPS listener answers when no host rule matches. */
export const NOT_FOUND_RESPONSE = {
  contentType: 'text/plain',
  statusCode: '404',
  messageBody: 'Not found',
} as const;

/**
 * The public listener's rule priority of the `index`th service of the catalogue: multiples of 10,
 * from 10, so that priority 1 stays free for the maintenance switch's rule, which must come first.
 */
export function listenerRulePriority(index: number): number {
  return 10 * (index + 1);
}
