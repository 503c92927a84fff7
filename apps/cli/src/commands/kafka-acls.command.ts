// `ledger kafka-acls [NAME ROLE]...`: applies the broker ACLs of libs/contracts/src/broker-access.ts for the given
// principals ("NAME ROLE" pairs), or for every local principal when none is given. Connects with the Kafka settings
// of the environment (KAFKA_BROKERS, KAFKA_SASL_*), as the broker's super user. Creating an ACL that exists changes
// nothing. scripts/kafka.sh and docker-compose.yml run it; exit 2 on a usage error, 1 when the broker refuses.
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import { kafkaClientConfig, loadKafkaSettings, settingsOrExit } from '@app/config';
import { aclsOf, LOCAL_PRINCIPALS, PUBLISHER_PATTERN, type BrokerRole } from '@app/contracts';
import { parseCommandArgs, UsageError } from '../support/command-args';

const USAGE = 'usage: ledger kafka-acls [NAME ROLE]...   (ROLE: chipmaker|cloud|regulator|ledger|relay|subscriber)';
const ROLES: readonly BrokerRole[] = ['chipmaker', 'cloud', 'regulator', 'ledger', 'relay', 'subscriber'];
const PAIRS_MAX = 50;
const SPEC = {
  name: 'kafka-acls',
  usage: USAGE,
  flags: {},
  positionals: Array.from({ length: 2 * PAIRS_MAX }, (_, i) => (i % 2 === 0 ? 'NAME' : 'ROLE')),
  positionalsMin: 0,
} as const;
const OPERATIONS = { Read: AclOperationTypes.READ, Write: AclOperationTypes.WRITE, Describe: AclOperationTypes.DESCRIBE };

export function aclEntries(principal: string, role: BrokerRole): AclEntry[] {
  return aclsOf(role, principal).flatMap((acl) =>
    acl.operations.map((op) => ({
      resourceType: acl.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
      resourceName: acl.name,
      resourcePatternType: acl.pattern === 'LITERAL' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
      principal: `User:${principal}`,
      host: '*',
      operation: OPERATIONS[op],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}

export async function run(argv: string[]): Promise<number> {
  const words = parseCommandArgs(SPEC, argv).positionals;
  if (words.length % 2 !== 0) throw new UsageError(SPEC.name, 'give principals as NAME ROLE pairs', USAGE);
  const pairs: Array<[string, BrokerRole]> = words.length === 0 ? (Object.entries(LOCAL_PRINCIPALS) as Array<[string, BrokerRole]>) : [];
  for (let i = 0; i < words.length; i += 2) {
    const [name, role] = [words[i]!, words[i + 1]!];
    if (!new RegExp(PUBLISHER_PATTERN).test(name) || !ROLES.includes(role as BrokerRole)) {
      throw new UsageError(SPEC.name, `"${name} ${role}" is not a principal (a publisher id) and a role`, USAGE);
    }
    pairs.push([name, role as BrokerRole]);
  }
  const kafka = new Kafka(kafkaClientConfig({ kafka: settingsOrExit(() => loadKafkaSettings(process.env, 'kafka-acls')), logLevel: 'error' }));
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.createAcls({ acl: pairs.flatMap(([name, role]) => aclEntries(name, role)) });
  } catch (e) {
    process.stderr.write(`ledger kafka-acls: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  process.stderr.write(`ledger kafka-acls: ACLs applied for ${pairs.map(([n, r]) => `${n} (${r})`).join(', ')}\n`);
  return 0;
}
