import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { infraEndpoints, postgresDatabaseUrl } from '@attest/platform-config';
import { kafkaRoundTrip } from './kafka-round-trip';
import { postgresRoundTrip } from './postgres-round-trip';
import { readinessWalkthrough } from './readiness-walkthrough';
import { temporalRoundTrip } from './temporal-round-trip';

/**
 * `npm run demo`: one pass through every server Attest runs on, then a company's first steps through the
 * readiness, control-mapping, evidence and monitoring services up to a short SOC 2 Type II engagement with its CPA
 * firm's auditor, with the company's audit lifecycle following it on Temporal, reported in plain words.
 */
async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const endpoints = infraEndpoints();

  const pg = await postgresRoundTrip(postgresDatabaseUrl(endpoints, 'attest_test'));
  console.log(
    `PostgreSQL ${pg.serverVersion}: wrote and read back ${pg.rows.length} JSONB rows in database ${pg.database}`,
  );

  const kafka = await kafkaRoundTrip(endpoints.kafkaBrokers);
  const partitions = new Set(kafka.received.map((r) => r.partition)).size;
  console.log(
    `Kafka ${endpoints.kafkaBrokers.join(',')}: produced ${kafka.sent} keyed records with CloudEvents headers to ` +
      `${kafka.topic}, consumed ${kafka.received.length} from ${partitions} partition(s) through a consumer group`,
  );

  const temporal = await temporalRoundTrip(endpoints.temporalAddress, endpoints.temporalNamespace);
  console.log(
    `Temporal ${endpoints.temporalAddress}: workflow ${temporal.workflowId} completed on a real worker ` +
      `(activity sha256 ${temporal.result.sha256.slice(0, 12)}...), found by AttestTenantId = '${temporal.tenantId}'`,
  );
  console.log(
    `Temporal UI: ${endpoints.temporalUiUrl}/namespaces/${endpoints.temporalNamespace}/workflows/${temporal.workflowId}`,
  );

  console.log('\nReadiness walkthrough (services started as their own processes)...');
  const w = await readinessWalkthrough();
  console.log(
    `Organization ${w.tenantId}: ${w.login.username} registered at the identity provider and logged in ` +
      `(password grant); a request without a token was answered ${w.login.withoutToken}`,
  );
  console.log(
    `  assessment ${w.assessmentId} created; the retried POST with the same Idempotency-Key ` +
      (w.login.replayedSameAssessment ? 'returned the same assessment' : 'created ANOTHER assessment'),
  );
  if (!w.login.replayedSameAssessment) process.exit(1);
  console.log(`  assessment ${w.assessmentId} completed`);
  console.log(
    `  readiness score ${w.overall} overall; ` +
      w.byCategory.map((c) => `${c.category} ${c.score}`).join(', '),
  );
  console.log(`  ${w.gaps.length} gaps, ${w.tasks} remediation tasks:`);
  for (const g of w.gaps)
    console.log(`    ${g.severity.padEnd(8)} ${g.pointOfFocusRef.padEnd(9)} ${g.title}`);
  console.log(
    `  criteria the results conclude are not met or only partially met (${w.criteriaShort.length}):`,
  );
  for (const c of w.criteriaShort)
    console.log(`    ${c.criterionId.padEnd(7)} ${c.conclusion.padEnd(13)} score ${c.score ?? 'n/a'}`);
  if (!w.criteriaShort.length) process.exit(1);
  console.log(
    `  control-mapping proposed ${w.proposedControls.length} catalog controls from the gap events on Kafka:`,
  );
  for (const c of w.proposedControls) console.log(`    ${c.catalogControlId.padEnd(7)} ${c.name}`);
  console.log(
    w.chain.ok
      ? `  hash chain of the tenant's ${w.chain.events} readiness events verifies`
      : `  hash chain does NOT verify: ${w.chain.reason}`,
  );
  console.log(
    `  the readiness report is served at ${w.reportUrl} while readiness runs (npx nx run readiness:serve)`,
  );
  if (!w.chain.ok) process.exit(1);

  const p = w.people;
  console.log(
    `  people file imported: ${p.imported.rows} rows, ${p.imported.joined} joined, ${p.imported.left} left`,
  );
  for (const person of p.people)
    console.log(
      `    ${person.displayName.padEnd(15)} ${person.status.padEnd(6)} started ${person.startDate}` +
        (person.endDate ? `, left ${person.endDate}` : ''),
    );
  console.log(
    `  policy '${p.policy.title}' ${p.policy.version} drafted by ${p.policy.draftedBy} (compliance manager), ` +
      `approved by ${p.policy.approvedBy} (another person), published ${p.policy.publishedOn} ` +
      `(the service's clock was set back for that step)`,
  );
  console.log('  who must accept it, and by when (30 days from their start or the publication):');
  for (const o of p.obligations) console.log(`    ${o.displayName.padEnd(15)} due ${o.dueDate}  ${o.status}`);
  console.log(
    `  overdue acceptances: ${p.overdue.map((o) => `${o.displayName} (due ${o.dueDate})`).join(', ') || 'NONE'}`,
  );
  if (!p.overdue.length) process.exit(1);

  const t = w.trust;
  const k = t.fromKafka;
  console.log(
    `  from Kafka alone (plain kafkajs, the documented hash rule): ${k.events} events of the tenant link and ` +
      `recompute; checkpoint at sequence ${k.checkpoint?.tenantSequence} signed with key ${k.checkpoint?.keyId} ` +
      `verifies against GET /v1/event-chain/keys`,
  );
  console.log(
    `  the task owner's name travels sealed (${t.publishedOwnerName.slice(0, 16)}...); the resolution API reads it ` +
      `as '${t.resolvedBeforeErasure}'`,
  );
  const erased =
    t.ownerNameInReadModel === '[erased]' &&
    t.resolvedAfterErasure.erased &&
    t.resolvedAfterErasure.value === undefined &&
    t.fromKafkaAfterErasure.ok;
  console.log(
    `  forgot the owner (${t.keysErased} key(s) deleted): the task list shows '${t.ownerNameInReadModel}', the ` +
      `resolution API answers ${t.resolvedAfterErasure.erased ? 'erased' : `'${t.resolvedAfterErasure.value}'`}, ` +
      `and the chain still verifies from Kafka (${t.fromKafkaAfterErasure.ok ? 'yes' : 'NO'}) and in the database ` +
      `(${w.chain.ok ? 'yes' : 'NO'})`,
  );
  if (!erased || t.resolvedBeforeErasure !== 'Marcus Chen') process.exit(1);

  const e = w.evidence;
  console.log(`\nEvidence walkthrough (evidence service as its own process, content in ${e.store})...`);
  console.log(
    `  ${e.manager} (compliance manager) adopted ${e.adopted.join(', ')} in control-mapping; the evidence ` +
      `service learned them from Kafka. Uploaded, with the period each covers:`,
  );
  for (const u of e.uploads)
    console.log(
      `    ${u.fileName.padEnd(26)} sha256 ${u.sha256.slice(0, 12)}...  ${u.period.padEnd(23)} for ` +
        `${u.control.padEnd(14)} ${u.freshness}`,
    );
  console.log(`  the four collectors, run against systems on this machine:`);
  for (const r of e.runs) {
    console.log(`    ${r.collectorId.padEnd(25)} ${r.status}, ${r.facts} facts, ${r.items} evidence item(s)`);
    for (const f of r.findings) console.log(`      ${f}`);
  }
  console.log(
    `  ${e.auditor} (auditor) issued bundle ${e.bundle.bundleId} of all ${e.bundle.items} items (checkpoint ` +
      `at sequence ${e.bundle.checkpointSequence}) and downloaded it with the public keys into ${e.workDir}`,
  );
  console.log(`  attest-verify, offline (exit ${e.verify.exitCode}):`);
  for (const line of e.verify.output.split('\n')) console.log(`    ${line}`);
  console.log(
    `  verify it yourself, from the repository root (the files stay there):\n    ${e.verify.command}`,
  );
  if (e.verify.exitCode !== 0) process.exit(1);

  const m = w.monitoring;
  console.log('\nMonitoring walkthrough (monitoring and evidence services as their own processes)...');
  console.log(
    `  ${m.manager} (compliance manager) adopted OPS-01, wrote the CEL test northwind-db-connections-logged for it ` +
      `and registered the webhook receiver ${m.webhookUrl}; the postgresql-security collector read ${m.server}:`,
  );
  for (const s of m.steps) {
    console.log(`    ${s.action}`);
    console.log(
      `      postgresql-log-connections-enabled ${s.shipped}; northwind-db-connections-logged ${s.custom}; ` +
        `${s.openAlerts} open alert(s)`,
    );
    console.log(`      OPS-01 health ${s.health}; in control-mapping's coverage matrix ${s.coverageHealth}`);
  }
  console.log(
    `  alert ${m.alert.alertId} on ${m.server} raised, delivered, then resolved ` +
      `(${m.alert.resolvedBy ?? 'NOT resolved'}) and delivered again`,
  );
  console.log(
    "  webhooks at the receiver, checked with the endpoint's secret (Standard Webhooks; the tenant's earlier " +
      'collector runs raised alerts too):',
  );
  for (const h of m.webhooks)
    console.log(
      `    ${h.type.padEnd(46)} ${h.received} received, ${h.verified} signature(s) verified` +
        (h.neverVerified ? `, ${h.neverVerified} never delivered` : ''),
    );
  console.log(`  ${m.restored}`);
  if (
    m.alert.resolvedBy !== 'recovered' ||
    m.webhooks.some((h) => h.verified !== h.received || h.neverVerified)
  )
    process.exit(1);

  const g = w.engagement;
  console.log('\nAuditor engagement walkthrough (auditor-engagement service as its own process)...');
  console.log(
    `  ${g.manager} registered the firm ${g.firm} with its auditor ${g.auditor} (an identity without a tenant) ` +
      `and planned a Type II engagement ${g.engagementId} over ${g.window.from}..${g.window.to} ` +
      `(ATTEST_DEMO_WINDOW_DAYS; warnings accepted: ${g.warnings.join(', ') || 'none'}), scope ${g.scope.join(', ')}`,
  );
  const share = Math.round(g.requests.share * 1000) / 10;
  console.log(
    `  request list: ${g.requests.total} requests, ${g.requests.fulfilledWithoutUpload} answered by the system ` +
      `from what the services hold: ${share}% fulfilled without an upload (aim: at least 80%)`,
  );
  for (const title of g.requests.answeredByPerson) console.log(`    answered by the company: ${title}`);
  console.log(
    `  the auditor froze ${g.population.control}'s population (${g.population.size} occurrences, hash ` +
      `${g.population.hash.slice(0, 16)}...) and drew sample ${g.sample.sampleId} of ${g.sample.size}` +
      `${g.sample.testedInFull ? ' (tested in full)' : ''} from seed ${g.sample.seed.slice(0, 16)}...`,
  );
  console.log(`  re-performed without Attest (exit ${g.reperformance.exitCode}): ${g.reperformance.command}`);
  for (const line of g.reperformance.output.split('\n')) console.log(`    ${line}`);
  console.log(`  ${g.results.recorded} test results, ${g.results.exceptions} exception:`);
  console.log(`    ${g.exception.description}`);
  console.log(`    management response: ${g.exception.response}`);
  console.log(`  report issued; the files are in ${g.reportDir}/:`);
  for (const f of g.files) console.log(`    ${path.join(g.reportDir, f.name)} (${f.bytes} bytes)`);
  if (
    g.requests.share < 0.8 ||
    g.reperformance.exitCode !== 0 ||
    g.results.exceptions !== 1 ||
    g.files.length !== 8
  )
    process.exit(1);

  const a = w.lifecycle;
  console.log('\nAudit lifecycle on Temporal (orchestrator worker and Kafka bridge as their own process)...');
  console.log(
    `  ${a.workflowId}: started before the company's first event; the bridge signalled ${a.signalledEvents} of the ` +
      `services' events from Kafka`,
  );
  console.log(`  Type II chosen too early, refused: ${a.decision.refusal}`);
  for (const c of a.decision.cleared) console.log(`    then ${c}`);
  console.log(`  chosen again, accepted: the audit moved to ${a.decision.acceptedPhase}`);
  const missed = a.observation.occurrences.filter((o) => o.missed > 0);
  console.log(
    `  observation ${a.observation.workflowId} (a window day lasts ${a.dayMs / 1000} s, no grace; ` +
      'ATTEST_DEMO_OBSERVATION_DAY_SECONDS):',
  );
  for (const o of a.observation.occurrences)
    console.log(
      `    ${o.code.padEnd(8)} ${o.frequency.padEnd(10)} expected ${o.expected}, checked ${o.checked}, ` +
        `missed ${o.missed}${o.missedOn.length ? ` (${o.missedOn.join(', ')})` : ''}`,
    );
  const missedCount = missed.reduce((n, o) => n + o.missed, 0);
  const raised = g.requests.raisedForMissedOccurrences;
  console.log(
    `  the engagement's request list holds ${raised.length} requests raised for them ` +
      `(GET /v1/engagements/${g.engagementId}/requests?raisedFor=missed-occurrence):`,
  );
  for (const title of raised) console.log(`    ${title}`);
  console.log('  phases:');
  for (const p of a.phases) console.log(`    ${p.at}  ${p.summary}`);
  console.log(
    `  now ${a.phase}${a.nextAuditId ? `; the next period's lifecycle ${a.nextAuditId} runs` : ''}`,
  );
  console.log(
    `  the bridge letter, issued after the hand-over, reached this period's lifecycle` +
      `${a.closed.bridgeLetterAt ? ` at ${a.closed.bridgeLetterAt}` : ': NO'}; it closed ${a.closed.status}`,
  );
  console.log(`  Temporal UI: ${a.uiUrl}`);
  console.log('  operator queries (docs/operations/temporal.md):');
  for (const q of a.operatorQueries) {
    console.log(`    ${q.question}:\n      ${q.command}`);
    for (const line of q.output.split('\n')) console.log(`        ${line}`);
  }
  if (
    a.phase !== 'continuous-compliance' ||
    !missed.length ||
    raised.length !== missedCount ||
    a.closed.status !== 'COMPLETED' ||
    !a.closed.bridgeLetterAt
  )
    process.exit(1);
  console.log('\nDemo finished. The servers stay up; stop them with `npm run infra:down`.');
}

main().catch((err: unknown) => {
  // fetch's "fetch failed" says why only in its cause (e.g. connect ECONNREFUSED 127.0.0.1:3103).
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
  console.error('Demo failed:', err instanceof Error ? err.message + cause : err);
  process.exit(1);
});
