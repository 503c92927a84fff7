#!/usr/bin/env node
// Applies the broker ACLs of libs/contracts/src/broker-access.ts (compiled: run `npm run build` first) for the given
// principals, "NAME ROLE" pairs as arguments, or every local principal when none is given. Connects as the broker's
// super user from the environment (KAFKA_BROKERS, KAFKA_SASL_MECHANISM/USERNAME/PASSWORD; scripts/kafka.sh sets them
// from its credentials). Creating an ACL that exists changes nothing, so this is idempotent.
'use strict';
const path = require('node:path');
const { Kafka, AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes, logLevel } = require('kafkajs');

const root = path.resolve(__dirname, '..', '..');
const access = require(path.join(root, 'dist', 'libs', 'contracts', 'src', 'broker-access.js'));

const OPERATIONS = { Read: AclOperationTypes.READ, Write: AclOperationTypes.WRITE, Describe: AclOperationTypes.DESCRIBE };

function entries(principal, role) {
  return access.aclsOf(role, principal).flatMap((acl) =>
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

async function main() {
  const args = process.argv.slice(2);
  const pairs = args.length === 0 ? Object.entries(access.LOCAL_PRINCIPALS) : [];
  for (let i = 0; i + 1 < args.length; i += 2) pairs.push([args[i], args[i + 1]]);
  const env = process.env;
  const kafka = new Kafka({
    clientId: 'kafka-acls',
    brokers: (env.KAFKA_BROKERS || '127.0.0.1:9092').split(','),
    sasl: { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD },
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const acl = pairs.flatMap(([name, role]) => entries(name, role));
    await admin.createAcls({ acl });
    process.stderr.write(`kafka: ACLs applied for ${pairs.map(([n, r]) => `${n} (${r})`).join(', ')}\n`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((err) => {
  process.stderr.write(`kafka: could not apply the ACLs: ${err.message}\n`);
  process.exit(1);
});
