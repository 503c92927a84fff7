// The deployment manifests against the code: they parse, the core Kubernetes objects are valid for the API server's
// schemas (checked offline), the topics are exactly TOPIC_PARTITIONS, and every setting they pass is one the app's
// config schema accepts, with the values the code uses by default.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { Namespace, ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { aclsOf, dlqTopic, EVENT_BYTES_MAX, INPUT_TOPICS, TOPIC_PARTITIONS, type BrokerRole } from '@app/contracts';
import { AppName, CLI_NODE_FLAGS, LEDGER_NODE_FLAGS, loadApiSettings, loadCliSettings, loadLedgerSettings, loadRelaySettings, settingsReference } from '@app/config';

const root = path.resolve(__dirname, '..', '..', '..');
const k8sDir = path.join(root, 'k8s');

type Obj = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: any };

const k8sFiles = fs.readdirSync(k8sDir).filter((f) => f.endsWith('.yaml')).sort();
const objects: { file: string; obj: Obj }[] = k8sFiles
  .filter((f) => f !== 'kustomization.yaml')
  .flatMap((file) =>
    parseAllDocuments(fs.readFileSync(path.join(k8sDir, file), 'utf8'))
      .map((doc) => doc.toJS() as Obj | null)
      .filter((obj): obj is Obj => obj !== null)
      .map((obj) => ({ file, obj })),
  );
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; command?: string[] | string; environment?: Record<string, unknown>; healthcheck?: { test: string[] }; ports?: string[] }>;
};

// What scripts/kafka.sh creates (plain JavaScript, shared with the shell script).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { topicSpecs } = require(path.join(root, 'scripts', 'kafka', 'topics.js')) as {
  topicSpecs(): Array<{ name: string; partitions: number; maxMessageBytes: number | null }>;
};

// The topics compose's kafka-topics one-shot creates, from its list of name:partitions:max.message.bytes.
function composeTopics(): { partitions: Record<string, number>; maxMessageBytes: Record<string, number | null> } {
  const script = JSON.stringify(compose.services['kafka-topics'].command);
  const specs = [...script.matchAll(/([a-z][a-z0-9.]+\.v1(?:\.dlq)?):(\d+):(\d+|-)/g)];
  return {
    partitions: Object.fromEntries(specs.map((m) => [m[1], Number(m[2])])),
    maxMessageBytes: Object.fromEntries(specs.map((m) => [m[1], m[3] === '-' ? null : Number(m[3])])),
  };
}

const loaders: Record<AppName, (env: Record<string, string>) => unknown> = {
  ledger: loadLedgerSettings,
  relay: loadRelaySettings,
  api: loadApiSettings,
  cli: loadCliSettings,
};

// Which app a container runs, from its command (node dist/apps/<app>/src/main.js ...).
function appOf(command: unknown): AppName {
  const match = /dist\/apps\/(ledger|relay|api|cli)\/src\/main\.js/.exec(JSON.stringify(command));
  assert.ok(match, `cannot tell the app from command ${JSON.stringify(command)}`);
  return match[1] as AppName;
}

// The keys whose value is where things run or who the app is, not a tunable: they differ from the local default by design.
const PLACE_KEYS = new Set([
  'KAFKA_BROKERS',
  'DATABASE_URL',
  'LEDGER_CHECKPOINT_KEY_FILE',
  'API_LEDGER_PUBLIC_KEY_FILE',
  'TRUSTED_KEYS_FILE',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
]);

function checkEnv(where: string, app: AppName, env: Record<string, string>): void {
  const reference = new Map(settingsReference(app).map((s) => [s.key, s]));
  for (const [key, value] of Object.entries(env)) {
    assert.ok(reference.has(key), `${where}: ${key} is not a setting of the ${app} app`);
    if (PLACE_KEYS.has(key)) continue;
    assert.equal(value, reference.get(key)!.default, `${where}: ${key}=${value} differs from the code's default`);
  }
  for (const broker of (env.KAFKA_BROKERS ?? '').split(',').filter(Boolean)) {
    assert.match(broker, /:9092$/, `${where}: Kafka is reached on 9092`);
  }
  assert.doesNotThrow(() => loaders[app](env), `${where}: the ${app} settings load`);
}

function stringify(env: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, String(v)]));
}

describe('manifests', () => {
  it('parse: docker-compose.yml and every k8s/*.yaml', () => {
    assert.ok(compose.services.kafka && compose.services.postgres);
    for (const file of k8sFiles) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(k8sDir, file), 'utf8'))) {
        assert.deepEqual(doc.errors, [], `${file} parses`);
      }
    }
    const kustomization = parse(fs.readFileSync(path.join(k8sDir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    assert.deepEqual([...kustomization.resources].sort(), k8sFiles.filter((f) => f !== 'kustomization.yaml'));
  });

  it('the core Kubernetes objects are valid against the Kubernetes schemas, and nothing else is unknown', () => {
    const models: Record<string, new (data: any) => { validate(): void }> = {
      'v1/Namespace': Namespace,
      'v1/ConfigMap': ConfigMap,
      'v1/Secret': Secret,
      'v1/Service': Service,
      'apps/v1/Deployment': Deployment,
      'batch/v1/Job': Job,
      'batch/v1/CronJob': CronJob,
      'keda.sh/v1alpha1/ScaledObject': ScaledObject,
      'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
    };
    // Operators' resources without a bundled schema: checked for their identity here and their content below.
    const operatorKinds = new Set([
      'kafka.strimzi.io/v1beta2/Kafka',
      'kafka.strimzi.io/v1beta2/KafkaNodePool',
      'kafka.strimzi.io/v1beta2/KafkaTopic',
      'kafka.strimzi.io/v1beta2/KafkaUser',
      'postgresql.cnpg.io/v1/Cluster',
    ]);
    const seen = new Set<string>();
    for (const { file, obj } of objects) {
      const type = `${obj.apiVersion}/${obj.kind}`;
      seen.add(type);
      assert.match(obj.metadata?.name ?? '', /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, `${file}: ${type} has a valid name`);
      const Model = models[type];
      if (Model) assert.doesNotThrow(() => new Model(obj).validate(), `${file}: ${type} ${obj.metadata.name}`);
      else assert.ok(operatorKinds.has(type), `${file}: unexpected ${type}`);
    }
    for (const type of [...Object.keys(models), ...operatorKinds]) assert.ok(seen.has(type), `k8s/ has a ${type}`);
  });

  it('the Kafka topics are exactly TOPIC_PARTITIONS, in Kubernetes and in compose', () => {
    const k8sTopics = Object.fromEntries(
      objects.filter(({ obj }) => obj.kind === 'KafkaTopic').map(({ obj }) => [obj.spec.topicName, obj.spec.partitions]),
    );
    assert.deepEqual(k8sTopics, { ...TOPIC_PARTITIONS });
    assert.deepEqual(composeTopics().partitions, { ...TOPIC_PARTITIONS });
    const kafka = objects.find(({ obj }) => obj.kind === 'Kafka')!.obj;
    assert.equal(kafka.spec.kafka.config['auto.create.topics.enable'], false);
  });

  it('scripts/kafka.sh, Kubernetes and compose give each topic the same max.message.bytes, room for an oversized event', () => {
    const script = Object.fromEntries(topicSpecs().map((t) => [t.name, t.maxMessageBytes]));
    const k8s = Object.fromEntries(
      objects.filter(({ obj }) => obj.kind === 'KafkaTopic').map(({ obj }) => [obj.spec.topicName, obj.spec.config?.['max.message.bytes'] ?? null]),
    );
    assert.deepEqual(k8s, script, 'k8s KafkaTopics against scripts/kafka/topics.js');
    assert.deepEqual(composeTopics().maxMessageBytes, script, 'compose kafka-topics against scripts/kafka/topics.js');
    // The ledger rejects an event over EVENT_BYTES_MAX itself, so its topic must carry more than that, and the DLQ
    // as much as the input topic (the original bytes plus the rejection headers).
    for (const topic of INPUT_TOPICS) {
      assert.ok((script[topic] ?? 0) > EVENT_BYTES_MAX, `${topic} accepts records over EVENT_BYTES_MAX`);
      assert.equal(script[dlqTopic(topic)], script[topic], `${dlqTopic(topic)} accepts what ${topic} does`);
    }
  });

  it('compose runs the Kafka version of scripts/kafka.sh', () => {
    const script = fs.readFileSync(path.join(root, 'scripts', 'kafka.sh'), 'utf8');
    const version = /KAFKA_VERSION:-([0-9.]+)/.exec(script)?.[1];
    assert.ok(version);
    assert.equal(compose.services.kafka.image, `apache/kafka:${version}`);
    assert.equal(compose.services['kafka-topics'].image, `apache/kafka:${version}`);
  });

  it('compose passes only settings the apps accept, with ports their health checks and clients use', () => {
    for (const name of ['migrate', 'ledger', 'relay', 'api']) {
      const service = compose.services[name];
      const app = appOf(service.command);
      const env = stringify(service.environment);
      checkEnv(`compose ${name}`, app, env);
      if (app === 'cli') continue;
      const settings = loaders[app](env) as { httpPort?: number; port?: number };
      const port = settings.httpPort ?? settings.port;
      assert.match(JSON.stringify(service.healthcheck?.test), new RegExp(`127\\.0\\.0\\.1:${port}/health/ready`), `compose ${name} health check`);
    }
    assert.deepEqual(compose.services.api.ports, ['3000:3000']);
  });

  it('Kubernetes passes only settings the apps accept, on the ports the containers, probes and services use', () => {
    const configMaps = new Map(objects.filter(({ obj }) => obj.kind === 'ConfigMap').map(({ obj }) => [obj.metadata.name, obj.data as Record<string, string>]));
    const services = new Map(objects.filter(({ obj }) => obj.kind === 'Service').map(({ obj }) => [obj.metadata.name, obj]));
    // The settings a container gets (its ConfigMaps, then its env) are ones its app accepts; returns both.
    const checkContainer = (where: string, container: any): { app: AppName; env: Record<string, string> } => {
      const app = appOf(container.command);
      const env: Record<string, string> = {};
      for (const source of container.envFrom ?? []) {
        const data = configMaps.get(source.configMapRef.name);
        assert.ok(data, `${where}: ConfigMap ${source.configMapRef.name} exists`);
        Object.assign(env, data);
      }
      for (const variable of container.env ?? []) env[variable.name] = variable.value ?? 'postgres://ledger@ledger-db-rw:5432/ledger';
      checkEnv(where, app, env);
      return { app, env };
    };
    // The audit CronJob: verify, then rejudge, with the platform settings, as the migration Job runs the CLI.
    const audits = objects.filter(({ obj }) => obj.kind === 'CronJob');
    assert.equal(audits.length, 1);
    const auditPod = audits[0]!.obj.spec.jobTemplate.spec.template.spec;
    const auditContainers = [...auditPod.initContainers, ...auditPod.containers] as Array<{ name: string; command: string[] }>;
    // rejudge with the trust anchors the ledger has (the regulator's signed events verify as when they were recorded).
    assert.deepEqual(auditContainers.map((c) => c.command.slice(2)), [['verify'], ['rejudge', '--trusted-keys', '/etc/ledger/trust-anchors/trusted-keys.json']]);
    for (const c of auditContainers) assert.equal(checkContainer(`audit-cronjob.yaml ${c.name}`, c).app, 'cli');

    const workloads = objects.filter(({ obj }) => obj.kind === 'Deployment' || obj.kind === 'Job');
    assert.equal(workloads.length, 4);
    for (const { file, obj } of workloads) {
      const [container] = obj.spec.template.spec.containers;
      const { app, env } = checkContainer(`${file} ${obj.metadata.name}`, container);
      if (obj.kind === 'Job') continue;

      const settings = loaders[app](env) as { httpPort?: number; port?: number };
      const port = settings.httpPort ?? settings.port;
      assert.equal(container.ports[0].containerPort, port, `${file}: container port`);
      assert.equal(container.readinessProbe.httpGet.path, '/health/ready');
      assert.equal(container.livenessProbe.httpGet.path, '/health/live');
      assert.equal(services.get(obj.metadata.name)?.spec.ports[0].port, port, `${file}: service port`);
    }
  });

  it('every launcher starts the ledger with LEDGER_NODE_FLAGS: compose, Kubernetes, scripts/run.sh and the fixtures', () => {
    const flagsBefore = (command: unknown) => {
      const words = command as string[];
      return words.slice(1, words.findIndex((w) => w.endsWith('/main.js')));
    };
    assert.deepEqual(flagsBefore(compose.services['ledger']!.command), LEDGER_NODE_FLAGS);
    const ledger = objects.find(({ obj }) => obj.kind === 'Deployment' && obj.metadata.name === 'ledger');
    assert.ok(ledger, 'k8s has a ledger Deployment');
    assert.deepEqual(flagsBefore(ledger.obj.spec.template.spec.containers[0].command), LEDGER_NODE_FLAGS);
    const runSh = fs.readFileSync(path.join(root, 'scripts', 'run.sh'), 'utf8');
    assert.match(runSh, new RegExp(`\\[ledger\\]="${LEDGER_NODE_FLAGS.join(' ')}"`));
    const fixtures = fs.readFileSync(path.join(root, 'libs', 'testing', 'src', 'services.ts'), 'utf8');
    assert.match(fixtures, /app === 'ledger' \? LEDGER_NODE_FLAGS/);
  });

  it('`npm run -s ledger` (the replay command of the contract) and the replay benchmark run with CLI_NODE_FLAGS', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts['ledger'], `node ${CLI_NODE_FLAGS.join(' ')} scripts/cli.js`);
    const bench = fs.readFileSync(path.join(root, 'bench', 'replay.bench.ts'), 'utf8');
    assert.match(bench, /\.\.\.CLI_NODE_FLAGS, '--expose-gc', __filename/);
  });

  it('KEDA scales the ledger on the lag of its own consumer group, up to the partitions there are to share', () => {
    const scaled = objects.find(({ obj }) => obj.kind === 'ScaledObject')!.obj;
    const ledgerConfig = objects.find(({ obj }) => obj.kind === 'ConfigMap' && obj.metadata.name === 'ledger-config')!.obj;
    const platformConfig = objects.find(({ obj }) => obj.kind === 'ConfigMap' && obj.metadata.name === 'platform-config')!.obj;
    const [trigger] = scaled.spec.triggers;
    assert.equal(scaled.spec.scaleTargetRef.name, 'ledger');
    assert.equal(trigger.type, 'kafka');
    // The password comes from the KafkaUser's Secret (ledger.yaml).
    assert.equal(trigger.metadata.consumerGroup, loadLedgerSettings({ ...ledgerConfig.data, KAFKA_SASL_PASSWORD: 'from-the-secret' }).groupId);
    assert.equal(trigger.authenticationRef?.name, 'ledger-kafka', 'KEDA reads the lag as an authenticated principal');
    assert.equal(trigger.metadata.bootstrapServers, platformConfig.data.KAFKA_BROKERS);
    assert.equal(scaled.spec.maxReplicaCount, Math.max(...INPUT_TOPICS.map((t) => TOPIC_PARTITIONS[t])));
  });

  it('the broker authenticates and authorizes: SCRAM on every Kubernetes listener, and each KafkaUser has its role\'s ACLs', () => {
    const kafka = objects.find(({ obj }) => obj.kind === 'Kafka')!.obj;
    for (const listener of kafka.spec.kafka.listeners) assert.equal(listener.authentication?.type, 'scram-sha-512', `listener ${listener.name}`);
    assert.equal(kafka.spec.kafka.authorization?.type, 'simple');
    const users = objects.filter(({ obj }) => obj.kind === 'KafkaUser').map(({ obj }) => obj);
    assert.deepEqual(users.map((u) => u.metadata.name).sort(), ['aws', 'ledger', 'nvidia', 'regulator', 'relay', 'subscriber']);
    for (const user of users) {
      const role = (user.metadata as unknown as { annotations: Record<string, string> }).annotations['compute-ledger.example/broker-role'] as BrokerRole;
      const expected = aclsOf(role, user.metadata.name).map((a) => ({
        resource: { type: a.resource, name: a.name, patternType: a.pattern.toLowerCase() },
        operations: [...a.operations],
      }));
      assert.equal(user.spec.authentication.type, 'scram-sha-512', user.metadata.name);
      assert.deepEqual(user.spec.authorization.acls, expected, `KafkaUser ${user.metadata.name} (${role})`);
    }
  });
});
