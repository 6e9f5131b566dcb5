import { expect } from 'chai';
import { DEFAULT_CATALOGUE } from './catalogue';
import { buildPlatform, deepMerge, loadPlatform, parseAccountIds, resolveAccountIds } from './config';
import { DEFAULT_ENVIRONMENTS } from './environments';
import { PlatformConfigError, validatePlatform, type ValidationIssue } from './validate';

/** The embedded model with `patch` deep-merged in (objects merge, arrays and scalars replace). */
function broken(patch: unknown): unknown {
  return deepMerge(
    structuredClone({ environments: DEFAULT_ENVIRONMENTS, catalogue: DEFAULT_CATALOGUE }),
    patch,
  );
}

function paths(issues: readonly ValidationIssue[]): string[] {
  return issues.map((i) => i.path);
}

describe('services/validate', () => {
  it('accepts the embedded model', () => {
    expect(validatePlatform(broken({}))).to.deep.equal([]);
  });

  const cases: ReadonlyArray<{ name: string; patch: unknown; path: string; message: RegExp }> = [
    {
      name: 'a cpu that is not a Fargate size',
      patch: { catalogue: { frontend: { cpu: { prod: 1000 } } } },
      path: 'catalogue.frontend.cpu.prod',
      message: /must be one of the Fargate sizes 256, 512, 1024, 2048, 4096/,
    },
    {
      name: 'a memory size Fargate does not allow for that cpu',
      patch: { catalogue: { consignmentapi: { memory: { staging: 1024 } } } },
      path: 'catalogue.consignmentapi.memory.staging',
      message: /1024 MiB is not a Fargate size for 2048 cpu; allowed: 4096-16384/,
    },
    {
      name: 'a promotion source that is not an environment',
      patch: { environments: { staging: { promotion: { source: 'qa' } } } },
      path: 'environments.staging.promotion.source',
      message: /must be build or one of mgmt, sbox, intg, staging, prod/,
    },
    {
      name: 'a cycle in the promotion path',
      patch: { environments: { intg: { promotion: { source: 'prod' } } } },
      path: 'environments.intg.promotion.source',
      message: /promotion path has a cycle: intg → prod → staging → intg/,
    },
    {
      name: 'promotion from a non-workload account',
      patch: { environments: { staging: { promotion: { source: 'sbox' } } } },
      path: 'environments.staging.promotion.source',
      message: /"sbox" is sandbox/,
    },
    {
      name: 'duplicate ports in one task',
      patch: {
        catalogue: {
          frontend: { sidecars: [{ name: 'otel', image: 'x', cpu: 256, memory: 512, ports: [9000] }] },
        },
      },
      path: 'catalogue.frontend.sidecars.0.ports.0',
      message: /port 9000 is already used by containerPort/,
    },
    {
      name: 'a port out of range',
      patch: { catalogue: { keycloak: { containerPort: 70000 } } },
      path: 'catalogue.keycloak.containerPort',
      message: /must be a port 1-65535/,
    },
    {
      name: 'a health check path that is not absolute',
      patch: { catalogue: { consignmentapi: { healthCheck: { path: 'healthcheck' } } } },
      path: 'catalogue.consignmentapi.healthCheck.path',
      message: /must be an absolute path/,
    },
    {
      name: 'a health check matcher that is not HTTP codes',
      patch: { catalogue: { consignmentapi: { healthCheck: { matcher: 'ok' } } } },
      path: 'catalogue.consignmentapi.healthCheck.matcher',
      message: /HTTP codes/,
    },
    {
      name: 'a missing per-environment size',
      patch: { catalogue: { transferservice: { desiredCount: { prod: 'two' } } } },
      path: 'catalogue.transferservice.desiredCount.prod',
      message: /expected number/,
    },
    {
      name: 'a negative desired count',
      patch: { catalogue: { transferservice: { desiredCount: { prod: -1 } } } },
      path: 'catalogue.transferservice.desiredCount.prod',
      message: /must be 0 or more/,
    },
    {
      name: 'an ECR repository name AWS would reject',
      patch: { catalogue: { frontend: { imageRepository: 'Transfer_Frontend!' } } },
      path: 'catalogue.frontend.imageRepository',
      message: /must be an ECR repository name/,
    },
    {
      name: 'a source repository GitHub would reject',
      patch: { catalogue: { frontend: { source: { repository: 'tdr transfer frontend' } } } },
      path: 'catalogue.frontend.source.repository',
      message: /must be a GitHub repository name/,
    },
    {
      name: 'a Dockerfile outside the repository',
      patch: { catalogue: { frontend: { source: { dockerfile: '../Dockerfile' } } } },
      path: 'catalogue.frontend.source.dockerfile',
      message: /must be a path inside the repository/,
    },
    {
      name: 'a test command over two lines',
      patch: { catalogue: { frontend: { source: { test: 'sbt test\nrm -rf /' } } } },
      path: 'catalogue.frontend.source.test',
      message: /must be one line/,
    },
    {
      name: 'an entry without its source repository',
      patch: { catalogue: { frontend: { source: null } } },
      path: 'catalogue.frontend.source',
      message: /expected object/,
    },
    {
      name: 'two entries of one repository that disagree on how it is tested',
      patch: { catalogue: { 'keycloak-update': { source: { test: 'sbt it:test' } } } },
      path: 'catalogue.keycloak-update.source.test',
      message: /must equal keycloak's \("sbt test"\): both are built from tdr-auth-server/,
    },
    {
      name: 'a service name too long for AWS target-group names',
      patch: { catalogue: { 'a-very-long-service-name-indeed': DEFAULT_CATALOGUE.frontend } },
      path: 'catalogue.a-very-long-service-name-indeed',
      message: /2-21 lowercase letters/,
    },
    {
      name: 'two entries with the same PascalCase name (IAM roles would collide)',
      patch: { catalogue: { frontend2: { ...DEFAULT_CATALOGUE.frontend, hostnamePrefix: 'app2' } } },
      path: 'catalogue.frontend2.pascalName',
      message: /"Frontend" is already used by frontend/,
    },
    {
      name: 'a catalogue entry named as the maintenance switch is in the ledger',
      patch: {
        catalogue: {
          maintenance: { ...DEFAULT_CATALOGUE.frontend, pascalName: 'Maintenance', hostnamePrefix: 'down' },
        },
      },
      path: 'catalogue.maintenance',
      message: /the ledger's name for the maintenance switch/,
    },
    {
      name: 'two services on the same hostname',
      patch: { catalogue: { keycloak: { hostnamePrefix: 'api' } } },
      path: 'catalogue.keycloak.hostnamePrefix',
      message: /"api" is already used by consignmentapi/,
    },
    {
      name: 'a sidecar that leaves the main container nothing',
      patch: {
        catalogue: {
          frontend: { sidecars: [{ name: 'otel', image: 'x', cpu: 512, memory: 512, ports: [] }] },
        },
      },
      path: 'catalogue.frontend.cpu.intg',
      message: /leaves nothing for frontend after its sidecars' 512/,
    },
    {
      name: 'a freeze window in an unknown time zone',
      patch: {
        environments: {
          prod: {
            promotion: {
              freezeWindows: [
                { days: ['Fri'], from: '00:00', to: '24:00', timezone: 'Europe/Londres', reason: 'x' },
              ],
            },
          },
        },
      },
      path: 'environments.prod.promotion.freezeWindows.0.timezone',
      message: /IANA time zone/,
    },
    {
      name: 'a freeze window that ends before it starts',
      patch: {
        environments: {
          prod: {
            promotion: {
              freezeWindows: [
                { days: ['Fri'], from: '17:00', to: '09:00', timezone: 'Europe/London', reason: 'x' },
              ],
            },
          },
        },
      },
      path: 'environments.prod.promotion.freezeWindows.0.to',
      message: /must be after from \(17:00\)/,
    },
    {
      name: 'a freeze window on a day that does not exist',
      patch: {
        environments: {
          prod: {
            promotion: {
              freezeWindows: [
                { days: ['Friday'], from: '00:00', to: '24:00', timezone: 'Europe/London', reason: 'x' },
              ],
            },
          },
        },
      },
      path: 'environments.prod.promotion.freezeWindows.0.days.0',
      message: /must be one of Mon, Tue, Wed, Thu, Fri, Sat, Sun/,
    },
    {
      name: 'a negative soak time',
      patch: { environments: { prod: { promotion: { soakMinutes: -5 } } } },
      path: 'environments.prod.promotion.soakMinutes',
      message: /0 or more/,
    },
    {
      name: 'an automatic promotion that also requires approval',
      patch: {
        environments: {
          intg: {
            promotion: {
              approval: { group: 'admins', approvers: ['role/A'], approverMustNotBePromoter: true },
            },
          },
        },
      },
      path: 'environments.intg.promotion.approval',
      message: /automatic promotion cannot also require approval/,
    },
    {
      name: 'an Identity Center approver that names no permission set',
      patch: {
        environments: {
          prod: {
            promotion: {
              approval: {
                approvers: ['role/TDRReleaseApproverProd', 'role/aws-reserved/sso.amazonaws.com/*'],
              },
            },
          },
        },
      },
      path: 'environments.prod.promotion.approval.approvers.1',
      message: /role\/aws-reserved\/sso\.amazonaws\.com\/AWSReservedSSO_\{PermissionSet\}_\*/,
    },
    {
      name: 'an Identity Center permission set name longer than 32 characters',
      patch: {
        environments: {
          prod: {
            promotion: {
              approval: {
                approvers: [`role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${'A'.repeat(33)}_*`],
              },
            },
          },
        },
      },
      path: 'environments.prod.promotion.approval.approvers.0',
      message: /a permission set name of 1-32/,
    },
    {
      name: 'more approver entries than the bound',
      patch: {
        environments: {
          prod: {
            promotion: {
              approval: { approvers: Array.from({ length: 11 }, (_, i) => `role/Approver${i}`) },
            },
          },
        },
      },
      path: 'environments.prod.promotion.approval.approvers',
      message: /at most 10 approver entries/,
    },
    {
      name: 'a workload environment with no promotion source',
      patch: { environments: { staging: { promotion: null } } },
      path: 'environments.staging.promotion',
      message: /needs a promotion source/,
    },
    {
      name: 'an environment whose name differs from its key',
      patch: { environments: { staging: { name: 'prod' } } },
      path: 'environments.staging.name',
      message: /must equal its key "staging"/,
    },
    {
      name: 'a role suffix that is not capitalised',
      patch: { environments: { intg: { roleSuffix: 'intg' } } },
      path: 'environments.intg.roleSuffix',
      message: /must be capitalised/,
    },
    {
      name: 'a region that is not a region',
      patch: { environments: { prod: { region: 'london' } } },
      path: 'environments.prod.region',
      message: /AWS region such as eu-west-2/,
    },
    {
      name: 'a task input pattern that is not anchored',
      patch: {
        catalogue: { 'consignment-export': { inputs: { consignmentId: { pattern: '[0-9a-f-]+' } } } },
      },
      path: 'catalogue.consignment-export.inputs.consignmentId.pattern',
      message: /must be anchored/,
    },
    {
      name: 'a boolean task input with a pattern',
      patch: { catalogue: { 'keycloak-update': { inputs: { updatePolicy: { pattern: '^x$' } } } } },
      path: 'catalogue.keycloak-update.inputs.updatePolicy',
      message: /a string input needs a pattern; a boolean one takes none/,
    },
    {
      name: 'a task input passed as a variable that is not UPPER_SNAKE',
      patch: {
        catalogue: { 'consignment-export': { inputs: { consignmentId: { variable: 'consignment-id' } } } },
      },
      path: 'catalogue.consignment-export.inputs.consignmentId.variable',
      message: /environment variable/,
    },
    {
      name: 'an unknown catalogue kind',
      patch: { catalogue: { frontend: { kind: 'fargate-spot' } } },
      path: 'catalogue.frontend.kind',
      message: /service, task, lambda or stepFunction/,
    },
    {
      name: 'a function with an unknown runtime',
      patch: { catalogue: { checksum: { runtime: 'java8' } } },
      path: 'catalogue.checksum.runtime',
      message: /must be one of the runtimes java21/,
    },
    {
      name: 'a function timeout over 900 s',
      patch: { catalogue: { checksum: { timeoutSeconds: { prod: 901 } } } },
      path: 'catalogue.checksum.timeoutSeconds.prod',
      message: /at most 900 seconds/,
    },
    {
      name: 'function memory below 128 MiB',
      patch: { catalogue: { checksum: { memory: { intg: 64 } } } },
      path: 'catalogue.checksum.memory.intg',
      message: /128-10240 MiB/,
    },
    {
      name: 'function memory above 10240 MiB',
      patch: { catalogue: { checksum: { memory: { staging: 10241 } } } },
      path: 'catalogue.checksum.memory.staging',
      message: /128-10240 MiB/,
    },
    {
      name: 'a Step Functions task naming a function that does not exist',
      patch: {
        catalogue: {
          'backend-checks': { steps: [{ function: 'download-files' }, { function: 'virus-scan' }] },
        },
      },
      path: 'catalogue.backend-checks.steps.1.function',
      message: /"virus-scan" is not a lambda of the catalogue; valid: .*checksum/,
    },
    {
      name: 'a Step Functions task naming a function inside a parallel step',
      patch: {
        catalogue: {
          'backend-checks': { steps: [{ parallel: [{ function: 'checksum' }, { function: 'nope' }] }] },
        },
      },
      path: 'catalogue.backend-checks.steps.0.parallel.1.function',
      message: /"nope" is not a lambda/,
    },
    {
      name: 'an ECS step naming a task that does not exist',
      patch: {
        catalogue: { export: { steps: [{ ecsTask: 'frontend' }, { function: 'export-status-update' }] } },
      },
      path: 'catalogue.export.steps.0.ecsTask',
      message: /not a one-off task/,
    },
    {
      name: 'an SQS trigger without a dead-letter queue',
      patch: {
        catalogue: { notifications: { triggers: [{ kind: 'sqs', queue: 'notifications', batchSize: 10 }] } },
      },
      path: 'catalogue.notifications.triggers.0.deadLetterQueue',
      message: /an SQS trigger needs a dead-letter queue/,
    },
    {
      name: 'a function trigger naming a state machine that does not call it',
      patch: {
        catalogue: { reporting: { triggers: [{ kind: 'stepFunction', stateMachine: 'backend-checks' }] } },
      },
      path: 'catalogue.reporting.triggers.0.stateMachine',
      message: /backend-checks has no step calling reporting/,
    },
    {
      name: 'a function on a database its network cannot reach',
      patch: { catalogue: { 'create-db-users': { network: { vpc: false, database: 'frontend' } } } },
      path: 'catalogue.create-db-users.network.database',
      message: /not a catalogue service with a database/,
    },
  ];

  for (const c of cases) {
    it(`names the path of ${c.name}`, () => {
      const issues = validatePlatform(broken(c.patch));
      const found = issues.find((i) => i.path === c.path);
      expect(found, `expected an issue at ${c.path}, got ${JSON.stringify(issues)}`).to.not.equal(undefined);
      expect(found?.message).to.match(c.message);
    });
  }

  it('reports every problem at once', () => {
    const issues = validatePlatform(
      broken({
        catalogue: { frontend: { cpu: { prod: 1000 } }, keycloak: { containerPort: 0 } },
        environments: { prod: { region: 'london' } },
      }),
    );
    expect(paths(issues)).to.include.members([
      'catalogue.frontend.cpu.prod',
      'catalogue.keycloak.containerPort',
      'environments.prod.region',
    ]);
  });

  it('throws PlatformConfigError (exit 2) listing every path from buildPlatform', () => {
    expect(() =>
      buildPlatform(broken({ catalogue: { frontend: { cpu: { prod: 1000 }, memory: { intg: -3 } } } })),
    )
      .to.throw(PlatformConfigError)
      .with.property('message')
      .that.matches(/catalogue\.frontend\.cpu\.prod: .*\n.*catalogue\.frontend\.memory\.intg/);
  });

  it('derives the promotion path from the sources', () => {
    expect(loadPlatform({}).promotionPath).to.deep.equal(['intg', 'staging', 'prod']);
  });
});

describe('services/config account ids', () => {
  const ids = {
    mgmt: '123456789012',
    sbox: '111111111111',
    intg: '222222222222',
    staging: '333333333333',
    prod: '444444444444',
  };

  it('reads TDR_ACCOUNT_IDS', async () => {
    expect(await resolveAccountIds({ TDR_ACCOUNT_IDS: JSON.stringify(ids) })).to.deep.equal(ids);
  });

  it('names an id that is not 12 digits and every missing account', () => {
    try {
      parseAccountIds(JSON.stringify({ mgmt: '12345', intg: '222222222222' }), 'TDR_ACCOUNT_IDS');
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(PlatformConfigError);
      const issues = (err as PlatformConfigError).issues;
      expect(issues[0]).to.deep.equal({
        path: 'TDR_ACCOUNT_IDS.mgmt',
        message: 'must be a 12-digit AWS account id',
      });
    }
    try {
      parseAccountIds(JSON.stringify({ mgmt: '123456789012', intg: '222222222222' }), 'TDR_ACCOUNT_IDS');
      expect.fail('should have thrown');
    } catch (err) {
      expect((err as PlatformConfigError).issues[0]?.message).to.match(/is missing/);
      expect(paths((err as PlatformConfigError).issues)).to.deep.equal([
        'TDR_ACCOUNT_IDS.sbox',
        'TDR_ACCOUNT_IDS.staging',
        'TDR_ACCOUNT_IDS.prod',
      ]);
    }
  });

  it('falls back to the SSM parameters /mgmt/{env}_account', async () => {
    const asked: string[] = [];
    const result = await resolveAccountIds({}, async (name) => {
      asked.push(name);
      const env = /^\/mgmt\/(\w+)_account$/.exec(name)?.[1] as keyof typeof ids;
      return ids[env];
    });
    expect(result).to.deep.equal(ids);
    expect(asked).to.include('/mgmt/prod_account');
  });

  it('says how to configure ids when there is neither variable nor SSM', async () => {
    try {
      await resolveAccountIds({});
      expect.fail('should have thrown');
    } catch (err) {
      expect((err as Error).message).to.match(/TDR_ACCOUNT_IDS: is not set/);
    }
  });
});

describe('services/config overrides (TDR_CONFIG)', () => {
  // Each test's folder sits in one scratch folder, removed at the end.
  let scratch = '';
  before(async () => {
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    scratch = mkdtempSync(join(tmpdir(), 'tdr-config-'));
  });
  after(async () => (await import('node:fs')).rmSync(scratch, { recursive: true, force: true }));
  it('applies a JSON file over the embedded model and lists what it changed', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(scratch, 'tdr-config-')), 'config.json');
    writeFileSync(file, JSON.stringify({ environments: { prod: { promotion: { soakMinutes: 1 } } } }));
    // Loosening prod's soak is for a local sandbox only.
    const platform = loadPlatform({ TDR_CONFIG: file, AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' });
    expect(platform.environments.prod.promotion?.soakMinutes).to.equal(1);
    expect(platform.environments.prod.promotion?.requiredChecks).to.deep.equal(['e2e']);
    expect(platform.overridden).to.deep.equal(['environments.prod.promotion.soakMinutes']);
    expect(platform.overrides).to.deep.equal(['environments.prod.promotion.soakMinutes=1']);
  });

  it('refuses loosening a gate of an approval-gated environment unless the endpoint is a local sandbox', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = (over: unknown) => {
      const f = join(mkdtempSync(join(scratch, 'tdr-config-')), 'config.json');
      writeFileSync(f, JSON.stringify(over));
      return f;
    };
    const loosen = file({
      environments: {
        prod: {
          promotion: {
            source: 'intg',
            soakMinutes: 0,
            requiredChecks: [],
            freezeWindows: [],
            approval: { group: 'admins', approvers: ['role/Anyone'], approverMustNotBePromoter: false },
          },
        },
      },
    });
    for (const endpoint of [undefined, 'https://ecs.eu-west-2.amazonaws.com', 'http://10.0.0.7:5000']) {
      let message = '';
      try {
        loadPlatform({ TDR_CONFIG: loosen, AWS_ENDPOINT_URL: endpoint });
      } catch (err) {
        message = (err as Error).message;
      }
      for (const path of [
        'source',
        'soakMinutes',
        'requiredChecks',
        'freezeWindows',
        'approval.approvers',
        'approval.approverMustNotBePromoter',
      ])
        expect(message, `${endpoint}: ${path}`).to.contain(`environments.prod.promotion.${path}: `);
    }
    expect(() =>
      loadPlatform({ TDR_CONFIG: loosen, AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }),
    ).to.not.throw();
    // Tightening is always allowed.
    const tighten = file({
      environments: { prod: { promotion: { soakMinutes: 120, requiredChecks: ['e2e', 'smoke'] } } },
    });
    expect(loadPlatform({ TDR_CONFIG: tighten }).environments.prod.promotion?.soakMinutes).to.equal(120);
  });

  it('an unknown key anywhere is an error naming its path (a typo is never silently ignored)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const f = join(mkdtempSync(join(scratch, 'tdr-config-')), 'config.json');
    writeFileSync(f, JSON.stringify({ environments: { prod: { promotion: { soakMinute: 5 } } } }));
    expect(() => loadPlatform({ TDR_CONFIG: f })).to.throw(
      /environments\.prod\.promotion: Unrecognized key: "soakMinute"/,
    );
  });

  it('names TDR_CONFIG when the file is unreadable or not an object', () => {
    expect(() => loadPlatform({ TDR_CONFIG: '/nonexistent/tdr.json' })).to.throw(/TDR_CONFIG: cannot read/);
  });
});
