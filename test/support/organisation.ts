/** A plausible real organisation config for tests, and a file holding one. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Organisation } from '../../services/organisation';
import { scratchDir } from './scratch';

/** A plausible real organisation: every field differs from the example where examples are placeholders. */
export const REAL_ORGANISATION: Organisation = {
  githubOrganisation: 'nationalarchives',
  slack: {
    workspaceId: 'T9REAL00001',
    alarmChannelIds: { intg: 'C9REALINTG1', staging: 'C9REALSTAG1', prod: 'C9REALPROD1' },
    teamDomain: 'tna-digital',
    releaseChannel: '#da-tdr-releases',
    buildChannel: '#da-tdr-builds',
  },
  hostedZoneIds: {
    mgmt: 'Z9REALMGMT0001',
    intg: 'Z9REALINTG0001',
    staging: 'Z9REALSTAG0001',
    prod: 'Z9REALPROD0001',
  },
  preservationExportReaderRoleArns: {
    intg: 'arn:aws:iam::700000000000:role/PreservationExportReaderIntg',
    staging: 'arn:aws:iam::700000000000:role/PreservationExportReaderStaging',
    prod: 'arn:aws:iam::700000000000:role/PreservationExportReaderProd',
  },
  jenkinsAllowlist: ['10.20.0.0/16'],
};

/** A JSON file holding `org`, as TDR_ORGANISATION names it. */
export function organisationFile(org: unknown): string {
  const path = join(scratchDir('tdr-org-'), 'organisation.json');
  writeFileSync(path, JSON.stringify(org));
  return path;
}
