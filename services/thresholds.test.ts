import { expect } from 'chai';
import { DEFAULT_CATALOGUE } from './catalogue';
import { WORKLOAD_ENVIRONMENTS } from './environments';
import { naming } from './naming';
import { SERVICE_ALARM_LIST, SERVICE_ALARMS } from './thresholds';

describe('services/thresholds', () => {
  it('holds the numbers infra alarms on: CPU > 80%, 5XX > 50, running < desired, unhealthy > 0', () => {
    expect(SERVICE_ALARMS.cpuHigh).to.include({
      comparison: 'GreaterThanThreshold',
      threshold: 80,
      unit: 'percent',
    });
    expect(SERVICE_ALARMS.target5xx).to.include({ comparison: 'GreaterThanThreshold', threshold: 50 });
    expect(SERVICE_ALARMS.runningBelowDesired).to.include({ comparison: 'LessThanThreshold', threshold: 0 });
    expect(SERVICE_ALARMS.runningBelowDesired.minus.metricName).to.equal('DesiredTaskCount');
    expect(SERVICE_ALARMS.unhealthyHosts).to.include({ comparison: 'GreaterThanThreshold', threshold: 0 });
  });

  it('gives every service alarm in every environment a distinct name within CloudWatch’s 255 characters', () => {
    const names = Object.entries(DEFAULT_CATALOGUE)
      .filter(([, e]) => e.kind === 'service')
      .flatMap(([service]) =>
        WORKLOAD_ENVIRONMENTS.flatMap((env) =>
          SERVICE_ALARM_LIST.map((a) => naming.alarm(service, env, a.key)),
        ),
      );
    expect(new Set(names).size).to.equal(names.length);
    for (const n of names) expect(n.length, n).to.be.at.most(255);
  });
});
